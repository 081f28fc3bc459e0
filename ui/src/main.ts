import { mount } from "svelte";
import App from "./App.svelte";
import { Engine } from "./lib/engine/feed.svelte";
import { mark } from "./lib/shared/startup";
import "./app.css";

mark("script");
const engine = new Engine();
// Open the change feed first: the backend answers while the page mounts.
const feed = engine.connect();
mount(App, { target: document.getElementById("app")!, props: { engine } });
mark("mounted");
void feed.then(() => mark("feed open"));
