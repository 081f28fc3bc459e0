import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cleanup, render, screen, within, waitFor, fireEvent } from "@testing-library/svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import type { Channel } from "@tauri-apps/api/core";
import type { Container, EngineEvent, Settings, StatsEvent } from "./bindings";
import App from "./App.svelte";
import { Engine } from "./lib/engine/feed.svelte";
import { CONNECTED, container } from "./test-fixtures";

let channel: Channel<EngineEvent> | null;
let calls: string[];
let containers: Container[];
let actions: Record<string, unknown>[];
let failNext: unknown;
let settingsFile: { settings: Settings; problem: string | null };
let savedSettings: Settings[];
let stats: Map<string, Channel<StatsEvent>>;

function send(event: EngineEvent) {
  channel!.onmessage(event);
}

beforeEach(() => {
  channel = null;
  calls = [];
  containers = [];
  actions = [];
  failNext = null;
  settingsFile = { settings: {}, problem: null };
  savedSettings = [];
  stats = new Map();
  mockIPC((cmd, args) => {
    calls.push(cmd);
    switch (cmd) {
      case "get_settings":
        return settingsFile;
      case "set_settings":
        savedSettings.push((args as { settings: Settings }).settings);
        return (args as { settings: Settings }).settings;
      case "watch_engine":
        channel = (args as { onEvent: Channel<EngineEvent> }).onEvent;
        return 1;
      case "containers_since":
        return { version: calls.length, whole: containers, changed: [], gone: [] };
      case "list_images":
      case "list_networks":
      case "list_volumes":
      case "list_projects":
      case "image_usage":
      case "volume_sizes":
        return [];
      case "compose_program":
        return { command: ["docker-compose"], version: "1.29.2" };
      case "tray_shown":
        return true;
      case "watch_stats":
        stats.set((args as { id: string }).id, (args as { onEvent: Channel<StatsEvent> }).onEvent);
        return stats.size;
      case "container_action":
      case "remove_container":
        actions.push({ cmd, ...(args as object) });
        if (failNext) {
          const e = failNext;
          failNext = null;
          throw e;
        }
        return null;
      default:
        return null;
    }
  });
});

afterEach(() => {
  cleanup();
  clearMocks();
});

async function start() {
  const engine = new Engine();
  render(App, { engine });
  await engine.connect();
  return engine;
}

describe("App", () => {
  it("lists containers once the engine connects, rendering only what is in view", async () => {
    containers = Array.from({ length: 5000 }, (_, i) => container(i));
    await start();
    send({ kind: "Status", data: CONNECTED });
    send({ kind: "Changed", data: { containers: true, images: true, networks: true, volumes: true } });
    const table = await screen.findByRole("table", { name: "Containers" });
    await waitFor(() => expect(within(table).getByRole("row", { name: "box-0000" })).toBeInTheDocument());
    expect(table).toHaveAttribute("aria-rowcount", "5001");
    expect(within(table).getAllByRole("row").length).toBeLessThan(80);
    expect(screen.getByRole("status", { name: "Engine status" })).toHaveTextContent("Connected");
    // Creation times say how long ago, with the time in the machine's time zone in a tooltip.
    const created = within(within(table).getByRole("row", { name: "box-0000" })).getByText(/^\d+ years ago$/);
    expect(created).toHaveAttribute("title", "2023-11-14 22:13:20");
    // Only the list on screen was fetched.
    expect(calls.filter((c) => c.startsWith("list_") || c === "containers_since")).toEqual(["containers_since"]);
  });

  it("refetches the containers when the engine says they changed", async () => {
    containers = [container(1, { state: "running" })];
    await start();
    send({ kind: "Status", data: CONNECTED });
    send({ kind: "Changed", data: { containers: true, images: false, networks: false, volumes: false } });
    const row = await screen.findByRole("row", { name: "box-0001" });
    expect(row).toHaveAttribute("data-state", "running");
    containers = [container(1, { state: "exited", status: "Exited (0) 1 second ago" })];
    send({ kind: "Changed", data: { containers: true, images: false, networks: false, volumes: false } });
    await waitFor(() => expect(screen.getByRole("row", { name: "box-0001" })).toHaveAttribute("data-state", "exited"));
  });

  it("refreshes the containers when the window comes back, not when it first opens", async () => {
    containers = [container(1)];
    await start();
    send({ kind: "Status", data: CONNECTED });
    send({ kind: "Changed", data: { containers: true, images: false, networks: false, volumes: false } });
    await screen.findByRole("row", { name: "box-0001" });
    const fetches = () => calls.filter((c) => c === "containers_since").length;
    expect(fetches()).toBe(1);
    window.dispatchEvent(new FocusEvent("focus"));
    await new Promise((r) => setTimeout(r, 0));
    expect(fetches()).toBe(1);
    window.dispatchEvent(new FocusEvent("blur"));
    window.dispatchEvent(new FocusEvent("focus"));
    await waitFor(() => expect(fetches()).toBe(2));
  });

  it("stops a container from its row and shows a failed action's error on that row", async () => {
    containers = [container(1), container(2, { state: "exited", status: "Exited (0)" })];
    await start();
    send({ kind: "Status", data: CONNECTED });
    send({ kind: "Changed", data: { containers: true, images: false, networks: false, volumes: false } });
    await fireEvent.click(await screen.findByRole("button", { name: "Stop box-0001" }));
    await waitFor(() => expect(actions).toEqual([{ cmd: "container_action", id: containers[0].id, action: "Stop" }]));
    expect(screen.queryByRole("button", { name: "Stop box-0002" })).toBeNull();

    failNext = { code: "PortInUse", message: "Bind for 127.0.0.1:8080 failed: port is already allocated" };
    await fireEvent.click(screen.getByRole("button", { name: "Start box-0002" }));
    const alert = await screen.findByRole("alert", { name: /box-0002: .*port is already allocated/ });
    expect(within(screen.getByRole("row", { name: "box-0002" })).getByRole("alert")).toBe(alert);
  });

  it("asks before removing, names the container, and forces only a running one", async () => {
    containers = [container(1)];
    await start();
    send({ kind: "Status", data: CONNECTED });
    send({ kind: "Changed", data: { containers: true, images: false, networks: false, volumes: false } });
    await fireEvent.click(await screen.findByRole("button", { name: "More actions for box-0001" }));
    await fireEvent.click(screen.getByRole("menuitem", { name: "Remove box-0001" }));
    const dialog = screen.getByRole("dialog", { name: "Remove container box-0001?" });
    expect(dialog).toHaveTextContent("it will be stopped first");
    expect(actions).toEqual([]);
    await fireEvent.click(within(dialog).getByRole("checkbox", { name: "Also remove its anonymous volumes" }));
    await fireEvent.click(within(dialog).getByRole("button", { name: "Remove box-0001" }));
    await waitFor(() =>
      expect(actions).toEqual([
        { cmd: "remove_container", id: containers[0].id, force: true, anonymousVolumes: true },
      ]),
    );
  });

  it("stops a selection after confirming, listing every container it touches", async () => {
    containers = [container(1), container(2), container(3)];
    await start();
    send({ kind: "Status", data: CONNECTED });
    send({ kind: "Changed", data: { containers: true, images: false, networks: false, volumes: false } });
    await fireEvent.click(await screen.findByRole("checkbox", { name: "Select box-0001" }));
    await fireEvent.click(screen.getByRole("checkbox", { name: "Select box-0003" }));
    await fireEvent.click(screen.getByRole("button", { name: "Stop 2 selected" }));
    const dialog = screen.getByRole("dialog", { name: "Stop 2 containers?" });
    const targets = within(dialog).getByRole("list", { name: "Containers to stop" });
    expect(within(targets).getAllByRole("listitem").map((li) => li.textContent)).toEqual([
      "box-0001 (running)",
      "box-0003 (running)",
    ]);
    expect(actions).toEqual([]);
    await fireEvent.click(within(dialog).getByRole("button", { name: "Stop 2 containers" }));
    await waitFor(() => expect(actions.map((a) => a.id)).toEqual([containers[0].id, containers[2].id]));
    expect(actions.every((a) => a.action === "Stop")).toBe(true);
  });

  it("filters running containers and by text, and groups compose projects", async () => {
    containers = [
      container(1, { name: "solo", state: "exited" }),
      container(2, { name: "shop-web-1", project: "shop", service: "web" }),
      container(3, { name: "shop-db-1", project: "shop", service: "db", state: "exited" }),
    ];
    await start();
    send({ kind: "Status", data: CONNECTED });
    send({ kind: "Changed", data: { containers: true, images: false, networks: false, volumes: false } });
    const project = await screen.findByRole("row", { name: "Compose project shop" });
    expect(project).toHaveTextContent("1 of 2 running");
    await fireEvent.click(within(project).getByRole("button", { name: /shop/, expanded: true }));
    expect(screen.queryByRole("row", { name: "shop-web-1" })).not.toBeInTheDocument();

    await fireEvent.click(screen.getByRole("radio", { name: /Running/ }));
    expect(screen.queryByRole("row", { name: "solo" })).not.toBeInTheDocument();
    await fireEvent.click(screen.getByRole("radio", { name: /All/ }));
    await fireEvent.input(screen.getByRole("searchbox", { name: "Filter containers" }), { target: { value: "solo" } });
    expect(screen.getByRole("row", { name: "solo" })).toBeInTheDocument();
    expect(screen.queryByRole("row", { name: "Compose project shop" })).not.toBeInTheDocument();
  });

  it("renders container text as text, never as markup", async () => {
    const hostile = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';
    containers = [container(1, { name: hostile, status: "<b>bold</b>" })];
    await start();
    send({ kind: "Status", data: CONNECTED });
    send({ kind: "Changed", data: { containers: true, images: false, networks: false, volumes: false } });
    const row = await screen.findByRole("row", { name: hostile });
    expect(row.querySelector("img, script, b")).toBeNull();
    expect(row).toHaveTextContent("<b>bold</b>");
  });

  it("explains an unreachable engine and retries on request", async () => {
    await start();
    send({
      kind: "Status",
      data: { state: "Unreachable", host: "unix:///tmp/none.sock", reason: "SocketMissing", message: "no Docker engine socket at /tmp/none.sock" },
    });
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("The Docker engine is not running");
    expect(alert).toHaveTextContent("unix:///tmp/none.sock");
    await fireEvent.click(within(alert).getByRole("button", { name: "Retry now" }));
    expect(calls).toContain("engine_retry");
    expect(screen.getByRole("status", { name: "Engine status" })).toHaveTextContent("Unreachable");
  });

  it("switches views from the sidebar and fetches each list when shown", async () => {
    await start();
    send({ kind: "Status", data: CONNECTED });
    send({ kind: "Changed", data: { containers: true, images: true, networks: true, volumes: true } });
    await screen.findByText("No containers yet");
    const nav = screen.getByRole("navigation", { name: "Sections" });
    await fireEvent.click(within(nav).getByRole("button", { name: "Images" }));
    await screen.findByText("No images yet");
    expect(within(nav).getByRole("button", { name: "Images" })).toHaveAttribute("aria-current", "page");
    expect(calls).toContain("list_images");
    expect(calls).not.toContain("list_volumes");
  });

  it("reports a damaged settings file, saves changes and applies the theme", async () => {
    settingsFile = { settings: { theme: "Dark" }, problem: "the settings file was damaged; kept as settings.json.corrupt" };
    await start();
    expect(await screen.findByRole("alert")).toHaveTextContent("kept as settings.json.corrupt");
    await waitFor(() => expect(document.documentElement.dataset.theme).toBe("dark"));
    await fireEvent.click(screen.getByRole("button", { name: "Settings" }));
    await fireEvent.click(await screen.findByRole("radio", { name: "Light" }));
    await waitFor(() => expect(document.documentElement.dataset.theme).toBe("light"));
    await fireEvent.click(screen.getByRole("checkbox", { name: "Closing the window keeps Berth running in the tray" }));
    await waitFor(() => expect(savedSettings.at(-1)).toMatchObject({ theme: "Light", close_to_tray: false, log_buffer: 100000 }));
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("shows a running container's stats in its row, as docker stats writes them, when the setting is on", async () => {
    settingsFile = { settings: { stats_columns: true }, problem: null };
    containers = [container(1), container(2, { state: "exited", status: "Exited (0)" })];
    await start();
    send({ kind: "Status", data: CONNECTED });
    send({ kind: "Changed", data: { containers: true, images: false, networks: false, volumes: false } });
    const table = await screen.findByRole("table", { name: "Containers" });
    for (const h of ["CPU", "Memory", "Net I/O", "Block I/O", "PIDs"]) expect(within(table).getByRole("columnheader", { name: h })).toBeInTheDocument();
    // A stream for the running container only.
    await waitFor(() => expect([...stats.keys()]).toEqual([containers[0].id]));
    const id = containers[0].id;
    stats.get(id)!.onmessage({ kind: "Sample", data: { id, at_ms: 0, cpu_percent: 12.5, mem_usage: 8_000_000, mem_limit: 64_000_000, mem_percent: 12.5, net_rx: 1_200, net_tx: 0, block_read: 4_500_000, block_write: 12_000, pids: 3 } });
    const row = within(table).getByRole("row", { name: "box-0001" });
    await waitFor(() => expect(within(row).getByRole("cell", { name: "PIDs 3" })).toHaveTextContent("3"));
    expect(within(row).getByRole("cell", { name: "CPU 13%" })).toBeInTheDocument();
    expect(within(row).getByRole("cell", { name: "Network 1.2 kB received, 0 B sent" })).toHaveTextContent("1.2 kB / 0 B");
    expect(within(row).getByRole("cell", { name: "Block I/O 4.5 MB read, 12 kB written" })).toHaveTextContent("4.5 MB / 12 kB");
    const stopped = within(table).getByRole("row", { name: "box-0002" });
    expect(within(stopped).getByRole("cell", { name: "PIDs not measured" })).toHaveTextContent("");

    // Readings that stop with an error are not left standing as current figures.
    stats.get(id)!.onmessage({ kind: "Ended", data: { code: "Unreachable", message: "The engine went away." } });
    const why = "Measuring stopped: The engine went away.";
    await waitFor(() => expect(within(row).getByRole("cell", { name: `CPU ${why}` })).toHaveTextContent("—"));
    expect(within(row).getByRole("cell", { name: `CPU ${why}` })).toHaveAttribute("title", why);
    expect(within(row).getByRole("cell", { name: `PIDs ${why}` })).toHaveTextContent("");
  });

  it("opens the command palette with Ctrl+K and stops a container by typing", async () => {
    containers = [container(1), container(2, { state: "exited", status: "Exited (0)" })];
    await start();
    send({ kind: "Status", data: CONNECTED });
    send({ kind: "Changed", data: { containers: true, images: false, networks: false, volumes: false } });
    await screen.findByRole("row", { name: "box-0001" });
    await fireEvent.keyDown(window, { key: "k", ctrlKey: true });
    const input = await screen.findByRole("combobox", { name: "Find or do" });
    await fireEvent.input(input, { target: { value: "stop box" } });
    const options = screen.getAllByRole("option");
    expect(options.map((o) => o.textContent)).toEqual(["Stop box-0001running"]);
    await fireEvent.keyDown(input, { key: "Enter" });
    await waitFor(() => expect(actions).toEqual([{ cmd: "container_action", id: containers[0].id, action: "Stop" }]));
    expect(screen.queryByRole("dialog", { name: "Command palette" })).toBeNull();

    await fireEvent.keyDown(window, { key: "F1" });
    expect(screen.getByRole("dialog", { name: "Keyboard shortcuts" })).toHaveTextContent("Ctrl+K");
  });
});
