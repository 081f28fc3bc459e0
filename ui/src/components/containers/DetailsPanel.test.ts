import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { commands, type ContainerDetails, type Network } from "../../bindings";
import { ListStore } from "../../lib/shared/list-store.svelte";
import DetailsDialog from "./DetailsDialog.svelte";
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
  ports: [{ container: "80/tcp", host_ip: "127.0.0.1", host_port: 8080 }],
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

describe("DetailsDialog", () => {
  it("hides env values until revealed, renders them as text, and searches the inspect JSON", async () => {
    render(DetailsDialog, { container: BOX, networks: networks(), onclose: () => {} });
    const env = await screen.findByRole("region", { name: "Environment" });
    expect(env).toHaveTextContent("SECRET=••••••");
    expect(env).not.toHaveTextContent("hunter2");
    await fireEvent.click(within(env).getByRole("checkbox", { name: "Reveal values" }));
    expect(env).toHaveTextContent("SECRET=hunter2");
    expect(env).toHaveTextContent("<img src=x onerror=alert(1)>=1");
    expect(document.querySelector("img")).toBeNull();

    await fireEvent.input(screen.getByRole("searchbox", { name: "Search the inspect document" }), { target: { value: "name" } });
    await waitFor(() => expect(screen.getByLabelText("Inspect document").textContent).toBe('  "Name": "/box"'));
  });

  it("opens a published TCP port on localhost", async () => {
    render(DetailsDialog, { container: BOX, networks: networks(), onclose: () => {} });
    await fireEvent.click(await screen.findByRole("button", { name: "Open localhost:8080 in the browser" }));
    await waitFor(() => expect(opened).toEqual([8080]));
  });

  it("renames the container, and shows the engine's refusal beside the name", async () => {
    render(DetailsDialog, { container: BOX, networks: networks(), onclose: () => {} });
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
    expect(screen.getByRole("dialog", { name: "Details of web" })).toBeInTheDocument();
  });

  it("connects the container to another network with aliases, and disconnects it", async () => {
    render(DetailsDialog, { container: BOX, networks: networks(), onclose: () => {} });
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
});
