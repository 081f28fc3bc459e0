import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { commands, type ContainerDetails, type Network } from "../../bindings";
import { ListStore } from "../../lib/shared/list-store.svelte";
import DetailsPanel from "./DetailsPanel.svelte";
import { ContainerActions } from "../../lib/containers/actions.svelte";
import { container } from "../../test-fixtures";

const BOX = container(0, { id: "c0ffee", name: "box", status: "Up" });

const DETAILS: ContainerDetails = {
  id: "c0ffee",
  name: "box",
  image: "berth-test/busybox",
  image_id: "sha256:0123456789abcdef",
  command: "sleep 600",
  created: "2026-11-28T00:00:00Z",
  state: "running",
  exit_code: 0,
  error: "",
  started_at: "2026-11-28T00:00:01Z",
  finished_at: "",
  restart_count: 0,
  health: null,
  ports: [
    { container: "80/tcp", host_ip: "0.0.0.0", host_port: 8080 },
    { container: "80/tcp", host_ip: "::", host_port: 8080 },
  ],
  mounts: [{ kind: "volume", source: "data", destination: "/data", read_only: false }],
  networks: [{ name: "bridge", ip: "172.17.0.2/16", gateway: "172.17.0.1", mac: "", aliases: [] }],
  env: ["SECRET=hunter2", "<img src=x onerror=alert(1)>=1"],
  labels: [["team", "web"]],
  inspect: '{\n  "Id": "c0ffee",\n  "Name": "/box"\n}',
};

let opened: number[];
let renamed: { id: string; name: string }[];
let joined: unknown[];
const NETWORKS = [
  { id: "n0", name: "bridge", driver: "bridge" },
  { id: "n1", name: "foodtrucks", driver: "bridge" },
  { id: "n2", name: "host", driver: "host" },
] as Network[];

function networks(): ListStore<Network> {
  const store = new ListStore<Network>(commands.listNetworks, (n) => n.id);
  store.invalidate();
  return store;
}

beforeEach(() => {
  opened = [];
  renamed = [];
  joined = [];
  mockIPC((cmd, args) => {
    if (cmd === "container_details") return DETAILS;
    if (cmd === "list_networks") return NETWORKS;
    if (cmd === "connect_network" || cmd === "disconnect_network") {
      joined.push({ cmd, ...(args as object) });
      return null;
    }
    if (cmd === "rename_container") {
      const a = args as { id: string; name: string };
      if (a.name === "taken") throw { code: "Conflict", message: 'the name "/taken" is already in use' };
      renamed.push(a);
      return null;
    }
    if (cmd === "open_in_browser") {
      opened.push((args as { port: number }).port);
      return null;
    }
    return null;
  });
});

afterEach(() => {
  cleanup();
  clearMocks();
});

function show(props: Partial<{ container: typeof BOX; onclose: () => void }> = {}) {
  return render(DetailsPanel, { container: BOX, networks: networks(), actions: new ContainerActions(), onclose: () => {}, ...props });
}

describe("DetailsPanel", () => {
  it("hides env values until revealed, renders them as text, and searches the inspect JSON", async () => {
    show();
    await fireEvent.click(await screen.findByRole("tab", { name: "Environment" }));
    const env = await screen.findByRole("region", { name: "Environment" });
    expect(env).toHaveTextContent("SECRET=••••••");
    expect(env).not.toHaveTextContent("hunter2");
    await fireEvent.click(within(env).getByRole("checkbox", { name: "Reveal values" }));
    expect(env).toHaveTextContent("SECRET=hunter2");
    expect(env).toHaveTextContent("<img src=x onerror=alert(1)>=1");
    expect(document.querySelector("img")).toBeNull();

    await fireEvent.click(screen.getByRole("tab", { name: "Inspect" }));
    await fireEvent.input(screen.getByRole("searchbox", { name: "Search the inspect document" }), { target: { value: "name" } });
    await waitFor(() => expect(screen.getByLabelText("Inspect document").textContent).toBe('  "Name": "/box"'));
  });

  it("opens a published TCP port on localhost", async () => {
    show();
    // Bound on IPv4 and IPv6: one entry, one button.
    await fireEvent.click(await screen.findByRole("button", { name: "Open localhost:8080 in the browser" }));
    expect(screen.getAllByRole("button", { name: /^Open localhost/ })).toHaveLength(1);
    await waitFor(() => expect(opened).toEqual([8080]));
  });

  it("renames the container, and shows the engine's refusal beside the name", async () => {
    show();
    await fireEvent.click(await screen.findByRole("button", { name: "Rename box" }));
    const field = screen.getByRole("textbox", { name: "New name for box" });
    await fireEvent.input(field, { target: { value: "taken" } });
    await fireEvent.click(screen.getByRole("button", { name: "Save name" }));
    expect(await screen.findByRole("alert")).toHaveTextContent('Could not rename box to taken: the name "/taken" is already in use');
    expect(screen.getByRole("textbox", { name: "New name for box" })).toHaveValue("taken");

    await fireEvent.input(field, { target: { value: " web " } });
    await fireEvent.click(screen.getByRole("button", { name: "Save name" }));
    await waitFor(() => expect(renamed).toEqual([{ id: "c0ffee", name: "web" }]));
    expect(await screen.findByRole("heading", { name: "web" })).toBeInTheDocument();
    expect(screen.queryByRole("alert")).toBeNull();
    expect(screen.getByRole("region", { name: "Details of web" })).toBeInTheDocument();
  });

  it("connects the container to another network with aliases, and disconnects it", async () => {
    show();
    const select = await screen.findByRole("combobox", { name: "Network to connect to" });
    await waitFor(() => expect(within(select).getAllByRole("option").map((o) => o.textContent)).toEqual(["Connect to a network…", "foodtrucks"]));
    await fireEvent.change(select, { target: { value: "foodtrucks" } });
    await fireEvent.input(screen.getByRole("textbox", { name: "Aliases on that network" }), { target: { value: "web, api" } });
    await fireEvent.click(screen.getByRole("button", { name: "Connect" }));
    await fireEvent.click(screen.getByRole("button", { name: "Disconnect box from bridge" }));
    await waitFor(() =>
      expect(joined).toEqual([
        { cmd: "connect_network", network: "foodtrucks", container: "c0ffee", aliases: ["web", "api"] },
        { cmd: "disconnect_network", network: "bridge", container: "c0ffee" },
      ]),
    );
  });

  it("shows its state with actions in the header, and Escape closes it", async () => {
    let closed = 0;
    show({ onclose: () => closed++ });
    const panel = screen.getByRole("region", { name: "Details of box" });
    expect(within(panel).getByRole("button", { name: "Stop box" })).toBeInTheDocument();
    expect(within(panel).getByRole("button", { name: "Restart box" })).toBeInTheDocument();
    await fireEvent.keyDown(window, { key: "Escape" });
    expect(closed).toBe(1);
  });

  it("tells an exited container's exit code and when it finished, relative with the time in a tooltip", async () => {
    mockIPC((cmd) => {
      if (cmd === "container_details")
        return { ...DETAILS, state: "exited", exit_code: 3, finished_at: new Date(Date.now() - 3 * 60_000).toISOString() };
      if (cmd === "list_networks") return NETWORKS;
      return null;
    });
    show({ container: container(0, { id: "c0ffee", name: "box", state: "exited", status: "Exited (3) 3 minutes ago" }) });
    const overview = await screen.findByRole("region", { name: "Overview" });
    expect(within(overview).getByText("exit code 3")).toHaveClass("bad");
    const finished = within(overview).getByText("3 minutes ago");
    expect(finished.getAttribute("title")).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(screen.getByRole("region", { name: "Last lines" })).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Stop box" })).toBeNull();
    expect(screen.getByRole("button", { name: "Start box" })).toBeInTheDocument();
  });
});
