import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { Workspace } from "./workspace.svelte";
import { Pulls } from "../images/pulls.svelte";
import { container } from "../../test-fixtures";
import type { RunSpec } from "../../bindings";

let calls: [string, unknown][];
let failAction: boolean;
const SPEC = { image: "berth-test/busybox", name: "box-0001", env: ["A=1"] } as unknown as RunSpec;

beforeEach(() => {
  calls = [];
  failAction = false;
  mockIPC((cmd, args) => {
    calls.push([cmd, args]);
    if (cmd === "container_spec") return SPEC;
    if (cmd === "container_action" && failAction) throw { code: "Conflict", message: "is paused" };
    return null;
  });
});

afterEach(() => clearMocks());

describe("Workspace", () => {
  it("opens logs and terminals, and leaves terminals when no tab is left", () => {
    const w = new Workspace(new Pulls());
    w.openLogs([container(1), container(2)]);
    expect([w.view, w.logTargets.map((t) => t.name)]).toEqual(["logs", ["box-0001", "box-0002"]]);
    w.openTerminal(container(1));
    expect(w.view).toBe("terminals");
    w.tabs.close(w.tabs.list[0].key);
    expect(w.view).toBe("containers");
    w.show("terminals");
    expect(w.view).toBe("containers");
  });

  it("opens the run dialog to edit a container, or to run one like it from an image", async () => {
    const w = new Workspace(new Pulls());
    await w.openRun({ from: container(1), edit: true });
    expect(w.runWith).toEqual({ image: "berth-test/busybox", initial: SPEC, editing: { id: container(1).id, name: "box-0001" } });
    await w.openRun({ from: container(1), image: "snap:1" });
    expect(w.runWith).toEqual({ image: "snap:1", initial: { ...SPEC, image: "snap:1", name: "" } });
    w.ran("new-id", "the old one is kept aside");
    expect([w.runWith, w.view, w.notice, w.justRan]).toEqual([null, "containers", "the old one is kept aside", "new-id"]);
  });

  it("does what a palette entry says, and tells when the engine refuses", async () => {
    const w = new Workspace(new Pulls());
    w.paletteOpen = true;
    const c = container(3);
    failAction = true;
    await w.run({ key: "stop:3", label: "Stop box-0003", hint: "", command: { do: "action", action: "Stop", container: c } });
    expect(w.paletteOpen).toBe(false);
    expect(w.notice).toBe("Stop box-0003: is paused");
    await w.run({ key: "details:3", label: "Details", hint: "", command: { do: "details", container: c } });
    expect(w.detailsOf).toBe(c.id);
    expect(w.view).toBe("containers");
    expect(w.recent).toEqual(["details:3", "stop:3"]);
  });

  it("shows the container a notification names, or says it is gone", () => {
    const w = new Workspace(new Pulls());
    w.showContainer([container(1)], container(1).id, "box-0001");
    expect(w.detailsOf).toBe(container(1).id);
    w.showContainer([], "gone", "old-box");
    expect(w.notice).toBe("old-box no longer exists");
  });

  it("hands a palette request to the view it names, and focuses the map", async () => {
    const w = new Workspace(new Pulls());
    await w.run({ key: "k", label: "Down shop", hint: "", command: { do: "request", request: { view: "projects", do: "down", project: "shop" } } });
    expect(w.view).toBe("projects");
    expect(w.request).toEqual({ view: "projects", do: "down", project: "shop" });
    await w.run({ key: "m", label: "Map of web", hint: "", command: { do: "map", focus: { kind: "network", name: "web" } } });
    expect([w.view, w.mapFocus]).toEqual(["map", { kind: "network", name: "web" }]);
  });
});
