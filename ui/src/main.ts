import { mount } from "svelte";
import App from "./App.svelte";
import { Engine } from "./lib/engine/feed.svelte";
import { mark } from "./lib/shared/startup";
import { applyTheme } from "./lib/shared/theme";
import { nextTask } from "./lib/shared/tasks";
import "./app.css";

mark("script");
// The OS's theme until the settings say otherwise: no light flash in a dark desktop.
applyTheme("System");
const engine = new Engine();
// Open the change feed first: the backend answers while the page mounts.
const feed = engine.connect();
// The first view lists containers: ask now, not after the feed's first change (the backend is
// connected long before the page loads, and answers while the page is built).
void engine.containers.prefetch().then(() => engine.containers.loaded && mark("list"));
// What this script asks leaves only once it yields: yield once, so the answers are on their way
// while the page is built rather than after the first layout.
await nextTask();
mount(App, { target: document.getElementById("app")!, props: { engine } });
mark("mounted");
void feed.then(() => mark("feed open"));
