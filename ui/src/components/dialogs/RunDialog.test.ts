import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import type { RunCheck, RunSpec } from "../../bindings";
import RunDialog from "./RunDialog.svelte";

let specs: RunSpec[];
let runResult: unknown;

beforeEach(() => {
  specs = [];
  runResult = "abc123";
  mockIPC((cmd, args) => {
    const spec = (args as { spec: RunSpec }).spec;
    if (cmd === "check_run") {
      specs.push(spec);
      const bad = spec.ports.findIndex((p) => p.trim() !== "" && !/^\d+(:\d+)?$/.test(p));
      const check: RunCheck =
        bad >= 0
          ? { problems: [{ field: "ports", row: bad, message: "host port \"x\" is not a number" }], command: "" }
          : { problems: [], command: `docker run -d ${spec.image}` };
      return check;
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
  render(RunDialog, { image, images: [image], networks: [], onclose: () => {}, onran });
  return onran;
}

describe("RunDialog", () => {
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
    expect(onran).not.toHaveBeenCalled();

    runResult = "abc123";
    await fireEvent.click(screen.getByRole("button", { name: "Run" }));
    await waitFor(() => expect(onran).toHaveBeenCalledWith("abc123"));
  });

  it("asks for an image before anything else", async () => {
    open("");
    expect(await screen.findByText("Choose an image to run.")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Run" })).toBeDisabled();
  });
});
