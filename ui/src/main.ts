import { mount } from "svelte";
import App from "./App.svelte";
import { Engine } from "./lib/engine/feed.svelte";
import "./app.css";

const engine = new Engine();
mount(App, { target: document.getElementById("app")!, props: { engine } });
void engine.connect();
