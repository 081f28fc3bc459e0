// Every view and dialog, checked by axe-core for serious accessibility problems, and the
// keyboard: rows by arrow keys, Enter to open, focus back where it was when a dialog or menu
// closes. jsdom has no layout, so axe cannot judge colour contrast here (it reports that as
// "incomplete", not as a violation).
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import type { Channel } from "@tauri-apps/api/core";
import axe from "axe-core";
import type { ContainerDetails, EngineEvent, Image, Network, Project, RunSpec, Volume } from "./bindings";
import App from "./App.svelte";
import { Engine } from "./lib/engine/feed.svelte";
import { CONNECTED, container } from "./test-fixtures";

const WHEN = { short: "Nov 14 2023", full: "2023-11-14 22:13:20" };
const CONTAINERS = [
  container(1),
  container(2, { state: "exited", status: "Exited (1) 2 minutes ago" }),
  container(3, { project: "shop", service: "web" }),
  container(4, { project: "shop", service: "db", state: "exited", status: "Exited (0) 1 hour ago" }),
];
const IMAGES: Image[] = [
  { id: "sha256:aaaa", repo_tags: ["berth-test/busybox:latest"], repo_digests: [], names: [{ repository: "berth-test/busybox", tag: "latest", origin: "user" }], size: 2_000_000, created: 1, created_local: WHEN, used_by: ["web", "db"], dangling: false, local_only: true, parent: null, children: ["sha256:bbbb"], siblings: [] },
  { id: "sha256:bbbb", repo_tags: [], repo_digests: [], names: [], size: 1000, created: 1, created_local: WHEN, used_by: [], dangling: true, local_only: true, parent: "sha256:aaaa", children: [], siblings: [] },
];
const NETWORKS: Network[] = [
  { id: "n1", name: "bridge", driver: "bridge", scope: "local", subnets: ["172.17.0.0/16"], gateways: ["172.17.0.1"], internal: false, attachable: false, ipv6: false, built_in: true, containers: 2, running: 2, project: null },
  { id: "n2", name: "shop_default", driver: "bridge", scope: "local", subnets: [], gateways: [], internal: false, attachable: false, ipv6: false, built_in: false, containers: 1, running: 0, project: "shop" },
];
const PROJECTS: Project[] = [
  {
    name: "shop",
    working_dir: "/srv/shop",
    config_files: ["/srv/shop/docker-compose.yml"],
    files_exist: true,
    services: ["db", "web"],
    members: [
      { id: "c1", name: "shop_web_1", service: "web", number: 1, one_off: false, state: "running", up: true },
      { id: "c2", name: "shop_db_1", service: "db", number: 1, one_off: false, state: "exited", up: false },
    ],
    running: 1,
    networks: ["shop_default"],
    volumes: ["shop_data"],
  },
];
const VOLUMES: Volume[] = [
  { name: "data", driver: "local", mountpoint: "/var/lib/docker/volumes/data/_data", created_local: { short: "Nov 28 00:00", full: "2026-11-28 00:00:00" }, used_by: ["box-0001"], anonymous: false, project: null, options: [], labels: [["team", "web"]] },
];
const SPEC: RunSpec = {
  image: "berth-test/busybox",
  name: "box-0001",
  ports: [],
  env: ["MODE=old"],
  volumes: [],
  network: "",
  restart: "no",
  command: "sh",
  entrypoint: "",
  workdir: "",
  user: "",
  auto_remove: false,
  interactive_tty: false,
  labels: [],
};
const DETAILS: ContainerDetails = {
  id: CONTAINERS[0].id,
  name: "box-0001",
  image: "berth-test/busybox",
  image_id: "sha256:aaaa",
  command: "sh",
  created: "2026-11-28T00:00:00Z",
  state: "running",
  exit_code: 0,
  error: "",
  started_at: "2026-11-28T00:00:01Z",
  finished_at: "",
  restart_count: 0,
  health: null,
  ports: [],
  mounts: [],
  networks: [],
  env: ["MODE=old"],
  labels: [],
  inspect: "{}",
};

let channel: Channel<EngineEvent> | null;

beforeEach(() => {
  channel = null;
  mockIPC((cmd, args) => {
    switch (cmd) {
      case "get_settings":
        return { settings: {}, problem: null };
      case "watch_engine":
        channel = (args as { onEvent: Channel<EngineEvent> }).onEvent;
        return 1;
      case "containers_since":
        return { version: 1, whole: CONTAINERS, changed: [], gone: [] };
      case "list_images":
        return IMAGES;
      case "list_networks":
        return NETWORKS;
      case "list_volumes":
        return VOLUMES;
      case "check_run":
        return { problems: [], command: "docker run -d berth-test/busybox" };
      case "container_spec":
        return SPEC;
      case "preview_recreate":
        return { changes: [], kept: ["--init"], removed_on_stop: false, snapshot: null, notes: [] };
      case "container_details":
        return DETAILS;
      case "container_changes":
        return [{ path: "/made", kind: "Added" }];
      case "check_commit":
      case "check_volume":
      case "volume_sizes":
      case "volume_prune_candidates":
        return [];
      case "image_usage":
        return [{ id: "sha256:aaaa", size: 2_000_000, shared: 0, unique: 2_000_000 }];
      case "image_history":
        return [
          { created_by: "/bin/sh -c #(nop)  CMD [\"sh\"]", size: 0, created_local: WHEN, comment: "", empty: true, tags: [] },
          { created_by: "/bin/sh -c #(nop) ADD file:abc in / ", size: 2_000_000, created_local: WHEN, comment: "", empty: false, tags: [] },
        ];
      case "image_prune_candidates":
        return [IMAGES[1]];
      case "check_build":
        return { problems: [{ field: "context", row: null, message: "choose the folder to build" }], command: "docker build ." };
      case "search_hub":
        throw { code: "RegistryUnreachable", message: "the engine cannot reach Docker Hub: lookup index.docker.io: no such host" };
      case "search_registry":
        return [{ reference: "127.0.0.1:5000/team/app", description: "", stars: null, official: false }];
      case "registry_logins":
        return [{ server: "127.0.0.1:5001", username: "berth", helper: null }];
      case "check_network":
        return { problems: [], command: "docker network create foodtrucks" };
      case "list_projects":
        return PROJECTS;
      case "compose_program":
        return { command: ["docker-compose"], version: "1.29.2" };
      case "network_prune_candidates":
        return [NETWORKS[1]];
      case "network_details":
        return {
          network: NETWORKS[0],
          ip_ranges: [],
          endpoints: [{ container_id: "c1", container: "box-0001", state: "running", ipv4: "172.17.0.2/16", ipv6: "", mac: "02:42:ac:11:00:02", aliases: ["web"] }],
          options: [["com.docker.network.bridge.default_bridge", "true"]],
          labels: [],
          inspect: "{}",
        };
      case "tray_shown":
        return true;
      case "follow_logs":
      case "open_terminal":
        return 7;
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
  channel!.onmessage({ kind: "Status", data: CONNECTED });
  channel!.onmessage({ kind: "Changed", data: { containers: true, images: true, networks: true, volumes: true } });
  await screen.findByRole("row", { name: "box-0001" });
}

/** axe's serious and critical findings on the page now, as readable lines. */
async function problems(): Promise<string[]> {
  const results = await axe.run(document.body, { resultTypes: ["violations"] });
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join("; ")})`);
}

// axe walks every node of a view: under load a check can take several seconds.
describe("accessibility (axe-core)", { timeout: 30_000 }, () => {
  it("finds nothing serious in any view", async () => {
    await start();
    expect(await problems(), "Containers").toEqual([]);
    for (const view of ["Projects", "Images", "Networks", "Volumes", "Map", "Settings"]) {
      await fireEvent.click(screen.getByRole("button", { name: view }));
      await screen.findByRole(view === "Settings" || view === "Map" ? "region" : "table", { name: view });
      if (view === "Map") await screen.findByRole("button", { name: /^Container box-0001/ });
      expect(await problems(), view).toEqual([]);
    }
    await fireEvent.click(screen.getByRole("button", { name: "Containers" }));
    await fireEvent.click(await screen.findByRole("button", { name: "Logs of box-0001" }));
    await screen.findByRole("log", { name: "Log of box-0001" });
    expect(await problems(), "Logs").toEqual([]);
    await fireEvent.click(screen.getByRole("button", { name: "Containers" }));
    await fireEvent.click(await screen.findByRole("button", { name: "Open a terminal in box-0001" }));
    await screen.findByRole("tab", { name: /box-0001/ });
    expect(await problems(), "Terminals").toEqual([]);
  });

  it("finds nothing serious in any dialog", async () => {
    await start();
    const dialogs: [string, () => Promise<unknown>, string][] = [
      ["Run a container", () => fireEvent.click(screen.getByRole("button", { name: "Run a container…" })), "Cancel"],
      [
        "Edit box-0001",
        async () => {
          await fireEvent.click(screen.getByRole("button", { name: "More actions for box-0001" }));
          await fireEvent.click(screen.getByRole("menuitem", { name: "Edit box-0001" }));
        },
        "Cancel",
      ],
      [
        "Commit box-0001",
        async () => {
          await fireEvent.click(screen.getByRole("button", { name: "More actions for box-0001" }));
          await fireEvent.click(screen.getByRole("menuitem", { name: "Commit box-0001" }));
        },
        "Cancel",
      ],
      [
        "Remove container box-0001?",
        async () => {
          await fireEvent.click(screen.getByRole("button", { name: "More actions for box-0001" }));
          await fireEvent.click(screen.getByRole("menuitem", { name: "Remove box-0001" }));
        },
        "Cancel",
      ],
    ];
    for (const [name, open, close] of dialogs) {
      await open();
      const dialog = await screen.findByRole("dialog", { name });
      // Let the dialog's own requests answer before looking.
      await new Promise((r) => setTimeout(r, 0));
      expect(await problems(), name).toEqual([]);
      await fireEvent.click(within(dialog).getByRole("button", { name: close }));
      await waitFor(() => expect(screen.queryByRole("dialog", { name })).toBeNull());
    }
    // The details beside the list, each of their tabs.
    await fireEvent.click(screen.getByRole("button", { name: "Details of box-0001" }));
    const details = await screen.findByRole("region", { name: "Details of box-0001" });
    for (const tab of ["Overview", "Environment", "Inspect", "Stats"]) {
      await fireEvent.click(within(details).getByRole("tab", { name: tab }));
      await new Promise((r) => setTimeout(r, 0));
      expect(await problems(), `Details: ${tab}`).toEqual([]);
    }
    await fireEvent.click(within(details).getByRole("button", { name: "Close details" }));
    await waitFor(() => expect(screen.queryByRole("region", { name: "Details of box-0001" })).toBeNull());
    for (const [name, key] of [
      ["Command palette", { key: "k", ctrlKey: true }],
      ["Keyboard shortcuts", { key: "F1" }],
    ] as const) {
      await fireEvent.keyDown(window, key);
      await screen.findByRole("dialog", { name });
      expect(await problems(), name).toEqual([]);
      await fireEvent.keyDown(screen.getByRole("dialog", { name }), { key: "Escape" });
    }
  });

  it("finds nothing serious in the networks' and volumes' dialogs", async () => {
    await start();
    const dialogs: [string, string, string, string][] = [
      ["Networks", "Create network…", "Create a network", "Cancel"],
      ["Networks", "Details of bridge", "Network bridge", "Close network details"],
      ["Networks", "Remove shop_default", "Remove network shop_default?", "Cancel"],
      ["Networks", "Prune unused…", "Remove 1 network?", "Cancel"],
      ["Images", "Details of berth-test/busybox:latest", "Image berth-test/busybox:latest", "Close image details"],
      ["Images", "Remove berth-test/busybox:latest", "Remove image berth-test/busybox:latest?", "Cancel"],
      ["Images", "Prune dangling…", "Remove 1 dangling image?", "Cancel"],
      ["Images", "Registries…", "Registries", "Close registries"],
      ["Images", "Build…", "Build an image", "Close"],
      ["Images", "Search…", "Search images", "Close the search"],
      ["Volumes", "Create volume…", "Create a volume", "Cancel"],
      ["Volumes", "Details of data", "Volume data", "Close volume details"],
      ["Volumes", "Remove data", "Remove volume data?", "Cancel"],
      ["Volumes", "Prune anonymous…", "Nothing to prune", "Close"],
      ["Projects", "Open a compose file…", "Open a compose file", "Cancel"],
      ["Projects", "Open project shop", "Project shop", "Close project shop"],
      ["Projects", "Down project shop", "Take shop down?", "Cancel"],
    ];
    for (const [view, button, name, close] of dialogs) {
      await fireEvent.click(screen.getByRole("button", { name: view }));
      await fireEvent.click(await screen.findByRole("button", { name: button }));
      const dialog = await screen.findByRole("dialog", { name });
      await new Promise((r) => setTimeout(r, 0));
      expect(await problems(), name).toEqual([]);
      await fireEvent.click(within(dialog).getByRole("button", { name: close }));
      await waitFor(() => expect(screen.queryByRole("dialog", { name })).toBeNull());
    }
  });

  it("finds nothing serious when the engine is unreachable", async () => {
    await start();
    channel!.onmessage({
      kind: "Status",
      data: { state: "Unreachable", host: "unix:///var/run/docker.sock", reason: "SocketMissing", message: "no Docker engine socket" },
    });
    await screen.findByRole("button", { name: "Retry now" });
    expect(await problems()).toEqual([]);
  });
});

describe("keyboard", () => {
  it("moves between rows with the arrow keys and opens the focused one with Enter", async () => {
    await start();
    const table = screen.getByRole("table", { name: "Containers" });
    const rows = () => within(table).getAllByRole("row").slice(1);
    // One row is in the tab order.
    expect(rows().filter((r) => r.tabIndex === 0)).toHaveLength(1);
    const first = rows()[0];
    first.focus();
    await fireEvent.keyDown(first, { key: "ArrowDown" });
    await waitFor(() => expect(document.activeElement).toBe(rows()[1]));
    await fireEvent.keyDown(document.activeElement!, { key: "End" });
    await waitFor(() => expect(document.activeElement).toBe(rows().at(-1)));
    await fireEvent.keyDown(document.activeElement!, { key: "Home" });
    await waitFor(() => expect(document.activeElement).toBe(rows()[0]));
    expect(rows()[0].tabIndex).toBe(0);
    // Enter opens the row: the details of a container beside the list, focus staying on the row.
    const boxRow = within(table).getByRole("row", { name: "box-0001" });
    boxRow.focus();
    await fireEvent.keyDown(boxRow, { key: "Enter" });
    await screen.findByRole("region", { name: "Details of box-0001" });
    expect(boxRow).toHaveAttribute("aria-current", "true");
    await fireEvent.keyDown(boxRow, { key: "Escape" });
    await waitFor(() => expect(screen.queryByRole("region", { name: "Details of box-0001" })).toBeNull());
    expect(document.activeElement).toBe(boxRow);
    // Closed from inside, focus goes back to the row.
    await fireEvent.keyDown(boxRow, { key: "Enter" });
    const again = await screen.findByRole("region", { name: "Details of box-0001" });
    const close = within(again).getByRole("button", { name: "Close details" });
    close.focus();
    await fireEvent.click(close);
    await waitFor(() => expect(document.activeElement).toBe(within(table).getByRole("row", { name: "box-0001" })));
  });

  it("gives focus back to the button that opened a menu, and to it again after the dialog it opened", async () => {
    await start();
    const more = screen.getByRole("button", { name: "More actions for box-0002" });
    more.focus();
    await fireEvent.click(more);
    const menu = await screen.findByRole("menu", { name: "Actions for box-0002" });
    await waitFor(() => expect(menu.contains(document.activeElement)).toBe(true));
    await fireEvent.keyDown(menu, { key: "Escape" });
    await waitFor(() => expect(document.activeElement).toBe(more));

    await fireEvent.click(more);
    await fireEvent.click(await screen.findByRole("menuitem", { name: "Remove box-0002" }));
    const confirm = await screen.findByRole("dialog", { name: "Remove container box-0002?" });
    await fireEvent.click(within(confirm).getByRole("button", { name: "Cancel" }));
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole("button", { name: "More actions for box-0002" })));
  });
});
