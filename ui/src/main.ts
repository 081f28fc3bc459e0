import { mount } from "svelte";
import App from "./App.svelte";
import { Engine } from "./lib/engine/feed.svelte";
import { mark } from "./lib/shared/startup";
import { applyTheme } from "./lib/shared/theme";
import "./app.css";

mark("script");
// The OS's theme until the settings say otherwise: no light flash in a dark desktop.
applyTheme("System");
const engine = new Engine();
// Open the change feed first: the backend answers while the page mounts.
const feed = engine.connect();
mount(App, { target: document.getElementById("app")!, props: { engine } });
mark("mounted");
void feed.then(() => mark("feed open"));
