import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import type { RunCheck, RunSpec } from "../../bindings";
import RunDialog from "./RunDialog.svelte";

let specs: RunSpec[];
let runResult: unknown;
let recreated: unknown[];

beforeEach(() => {
  specs = [];
  runResult = "abc123";
  recreated = [];
  mockIPC((cmd, args) => {
    if (cmd === "preview_recreate") {
      const env = (args as { spec: RunSpec }).spec.env.filter((e) => e.trim());
      const changes = env.includes("MODE=new") ? ["Environment: + MODE=new, − MODE=old"] : [];
      return { changes, kept: ["--init", "--memory 64m"], removed_on_stop: true, snapshot: "web-before-edit:latest", notes: [] };
    }
    if (cmd === "recreate_container") {
      recreated.push(args);
      return { id: "new1", warning: null };
    }
    const spec = (args as { spec: RunSpec }).spec;
    if (cmd === "check_run") {
      specs.push(spec);
      const bad = spec.ports.findIndex((p) => p.trim() !== "" && !/^\d+(:\d+)?$/.test(p));
      if (spec.image.trim() === "") return { problems: [{ field: "image", row: null, message: "an image is needed" }], command: "" };
      const check: RunCheck =
        bad >= 0
          ? { problems: [{ field: "ports", row: bad, message: "host port \"x\" is not a number" }], command: "" }
          : { problems: [], command: `docker run -d ${spec.image}` };
      return check;
    }
    if (cmd === "read_env_file") {
      const text = (args as { text: string }).text;
      if (text.includes("'open")) throw { code: "InvalidInput", message: "line 1: unterminated single quote" };
      return text.includes("PASSWORD") ? ["DB_HOST=db", "PASSWORD=s3cret # not a comment"] : [];
    }
    if (cmd === "run_container") {
      if (typeof runResult === "string") return runResult;
      throw runResult;
    }
    return null;
  });
});

afterEach(() => {
  cleanup();
  clearMocks();
});

function open(image = "berth-test/busybox:latest") {
  const onran = vi.fn();
  render(RunDialog, { image, images: image ? [image] : [], networks: [], onclose: () => {}, onran });
  return onran;
}

describe("RunDialog", () => {
  it("does not open red: a field is judged once it was typed in", async () => {
    open("");
    await waitFor(() => expect(specs.length).toBeGreaterThan(0));
    const image = screen.getByLabelText("Image");
    expect(image).toHaveAttribute("aria-invalid", "false");
    expect(screen.queryByText("an image is needed")).toBeNull();
    await fireEvent.input(image, { target: { value: "x" } });
    await fireEvent.input(image, { target: { value: "" } });
    await waitFor(() => expect(image).toHaveAttribute("aria-invalid", "true"));
  });

  it("says why Run is disabled and marks the bad line beside its field", async () => {
    open();
    const ports = screen.getByRole("textbox", { name: "Ports, one per line" });
    await fireEvent.input(ports, { target: { value: "8080:80\nx:80" } });
    await screen.findByText("line 2: host port \"x\" is not a number");
    expect(ports).toHaveAttribute("aria-invalid", "true");
    const run = screen.getByRole("button", { name: "Run" });
    expect(run).toBeDisabled();
    expect(run).toHaveAccessibleDescription("Fix the field marked in red.");
    expect(specs.at(-1)!.ports).toEqual(["8080:80", "x:80"]);

    await fireEvent.input(ports, { target: { value: "8080:80" } });
    await waitFor(() => expect(screen.getByRole("button", { name: "Run" })).toBeEnabled());
    expect(screen.getByLabelText("Equivalent docker command")).toHaveTextContent(
      "docker run -d berth-test/busybox:latest",
    );
  });

  it("runs, and keeps everything typed when the engine refuses", async () => {
    const onran = open();
    await fireEvent.input(screen.getByRole("textbox", { name: "Name" }), { target: { value: "web" } });
    runResult = { code: "Conflict", message: 'The container name "/web" is already in use' };
    await waitFor(() => expect(screen.getByRole("button", { name: "Run" })).toBeEnabled());
    await fireEvent.click(screen.getByRole("button", { name: "Run" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("already in use");
    expect(screen.getByRole("textbox", { name: "Name" })).toHaveValue("web");
    // The refusal is about the name: the Name field is marked, and says why.
    expect(screen.getByRole("textbox", { name: "Name" })).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByRole("textbox", { name: "Name" })).toHaveAccessibleDescription(/already in use/);
    expect(onran).not.toHaveBeenCalled();

    runResult = "abc123";
    await fireEvent.click(screen.getByRole("button", { name: "Run" }));
    await waitFor(() => expect(onran).toHaveBeenCalledWith("abc123", null));
  });

  it("keeps env rows exactly and reads a pasted .env file only when asked", async () => {
    open();
    const env = screen.getByRole("textbox", { name: "Environment, one per line (KEY=value)" });
    await fireEvent.input(env, { target: { value: "MSG=Hello #1" } });
    await waitFor(() => expect(specs.at(-1)!.env).toEqual(["MSG=Hello #1"]));
    await fireEvent.click(screen.getByRole("button", { name: "Add from a .env file…" }));
    const file = screen.getByRole("textbox", { name: "A .env file" });
    expect(file).toHaveAccessibleDescription(/Read as a .env file/);
    await fireEvent.input(file, { target: { value: "X='open" } });
    await fireEvent.click(screen.getByRole("button", { name: "Add these variables" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("unterminated single quote");
    await fireEvent.input(file, { target: { value: "export DB_HOST=db\nPASSWORD='s3cret # not a comment'" } });
    await fireEvent.click(screen.getByRole("button", { name: "Add these variables" }));
    await waitFor(() => expect(env).toHaveValue("MSG=Hello #1\nDB_HOST=db\nPASSWORD=s3cret # not a comment"));
    expect(screen.queryByRole("textbox", { name: "A .env file" })).toBeNull();
  });

  it("marks the ports when the host port is taken, and offers to pull a missing image", async () => {
    const pulled: string[] = [];
    const onran = vi.fn();
    render(RunDialog, {
      image: "berth-test/app:1",
      images: [],
      networks: [],
      onclose: () => {},
      onran,
      onpull: async (ref: string) => {
        pulled.push(ref);
        return true;
      },
    });
    await fireEvent.input(screen.getByRole("textbox", { name: "Ports, one per line" }), { target: { value: "8080:80" } });
    runResult = { code: "PortInUse", message: "Bind for 0.0.0.0:8080 failed: port is already allocated" };
    await waitFor(() => expect(screen.getByRole("button", { name: "Run" })).toBeEnabled());
    await fireEvent.click(screen.getByRole("button", { name: "Run" }));
    const ports = screen.getByRole("textbox", { name: "Ports, one per line" });
    await waitFor(() => expect(ports).toHaveAttribute("aria-invalid", "true"));
    expect(ports).toHaveAccessibleDescription(/port is already allocated/);

    runResult = { code: "ImageMissing", message: "no image berth-test/app:1 on this engine: pull or build it first" };
    await fireEvent.click(screen.getByRole("button", { name: "Run" }));
    await fireEvent.click(await screen.findByRole("button", { name: "Pull berth-test/app:1" }));
    expect(pulled).toEqual(["berth-test/app:1"]);
    expect(await screen.findByText("Pulled berth-test/app:1: run it now.")).toHaveAttribute("role", "status");
    expect(screen.queryByRole("alert")).toBeNull();
    expect(onran).not.toHaveBeenCalled();
  });

  it("keeps the rest under Advanced, closed for a new container", async () => {
    open();
    const advanced = screen.getByText(/^Advanced:/).closest("details")!;
    expect(advanced.open).toBe(false);
    expect(screen.getByRole("textbox", { name: "Ports, one per line" }).closest("details")).toBeNull();
    expect(advanced).toContainElement(screen.getByRole("textbox", { name: "Command" }));
  });

  it("asks for an image before anything else", async () => {
    open("");
    expect(await screen.findByText("Choose an image to run.")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Run" })).toBeDisabled();
  });
});

describe("RunDialog editing a container", () => {
  const initial: RunSpec = {
    image: "berth-test/busybox:latest",
    name: "web",
    ports: [],
    env: ["MODE=old"],
    volumes: [],
    network: "",
    restart: "no",
    command: "sleep 600",
    entrypoint: "",
    workdir: "",
    user: "",
    auto_remove: true,
    interactive_tty: false,
    labels: [],
  };

  it("previews the change and what it keeps, and commits a --rm container first", async () => {
    const onran = vi.fn();
    render(RunDialog, {
      image: initial.image,
      initial,
      editing: { id: "old1", name: "web" },
      images: [],
      networks: [],
      onclose: () => {},
      onran,
    });
    const apply = screen.getByRole("button", { name: "Recreate web" });
    expect(apply).toBeDisabled();
    // Its settings set some of Advanced (--rm): open.
    expect(screen.getByText(/^Advanced:/).closest("details")!.open).toBe(true);
    await fireEvent.click(await screen.findByText("Kept as they are: 2 settings this dialog does not show"));
    expect(screen.getByRole("list", { name: "Settings kept" })).toHaveTextContent("--init--memory 64m");
    expect(await screen.findByRole("note")).toHaveTextContent("started with --rm");
    const snapshot = screen.getByRole("checkbox", { name: "First commit its files to the image web-before-edit:latest" });
    expect(snapshot).toBeChecked();

    const env = screen.getByRole("textbox", { name: "Environment, one per line (KEY=value)" });
    await fireEvent.input(env, { target: { value: "MODE=new" } });
    const changes = await screen.findByRole("region", { name: "What will change" });
    expect(changes).toHaveTextContent("Environment: + MODE=new, − MODE=old");
    await waitFor(() => expect(apply).toBeEnabled());
    await fireEvent.click(apply);
    await waitFor(() => expect(onran).toHaveBeenCalledWith("new1", null));
    expect(recreated).toEqual([
      { id: "old1", spec: expect.objectContaining({ env: ["MODE=new"] }), options: { snapshot: "web-before-edit:latest" } },
    ]);
  });
});
