import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { busyText, ContainerActions } from "./actions.svelte";
import { Selection } from "./selection.svelte";
import { container } from "../../test-fixtures";

let calls: [string, unknown][];

beforeEach(() => {
  calls = [];
  mockIPC((cmd, args) => {
    calls.push([cmd, args]);
    return null;
  });
});

afterEach(() => clearMocks());

const [a, b, c] = [container(1), container(2, { state: "exited" }), container(3)];

describe("Selection", () => {
  it("follows what exists, and selects all shown or nothing", () => {
    const s = new Selection(new ContainerActions());
    s.set(a, true);
    s.set(b, true);
    expect(s.of([a, c]).map((x) => x.name)).toEqual([a.name]);
    expect(s.all([a, b])).toBe(true);
    expect(s.all([a, b, c])).toBe(false);
    s.setAll([c], true);
    expect(s.of([a, b, c])).toEqual([c]);
    s.setAll([c], false);
    expect(s.of([a, b, c])).toEqual([]);
    expect(s.all([])).toBe(false);
  });

  it("starts at once, asks before anything else, and forgets removed containers", async () => {
    const s = new Selection(new ContainerActions());
    s.ask("Start", [b]);
    await Promise.resolve();
    expect(calls).toEqual([["container_action", { id: b.id, action: "Start" }]]);
    expect(s.confirming).toBeNull();
    s.set(a, true);
    s.ask("Remove", [a, b]);
    expect(s.confirming?.verb).toBe("Remove");
    expect(calls).toHaveLength(1);
    await s.run("Remove", [a, b]);
    expect(calls.slice(1)).toEqual([
      ["remove_container", { id: a.id, force: true, anonymousVolumes: false }],
      ["remove_container", { id: b.id, force: false, anonymousVolumes: false }],
    ]);
    expect(s.of([a, b])).toEqual([]);
    expect(s.confirming).toBeNull();
  });
});

describe("busy rows", () => {
  it("say what is under way, and that a stop ends in a kill", () => {
    expect(busyText("Start")).toBe("Starting…");
    expect(busyText("Stop")).toBe("Stopping… (killed if it does not stop in time)");
    expect(busyText("Remove")).toBe("Removing…");
  });
});

describe("what was done", () => {
  it("says what a bulk action did, and undoes a stop by starting the same containers", async () => {
    const actions = new ContainerActions();
    const s = new Selection(actions);
    await s.run("Stop", [a, c]);
    expect(actions.done?.text).toBe("Stopped 2 containers");
    calls = [];
    await actions.undo();
    expect(calls).toEqual([
      ["container_action", { id: a.id, action: "Start" }],
      ["container_action", { id: c.id, action: "Start" }],
    ]);
    expect(actions.done?.text).toBe("Started 2 containers");
  });

  it("names one removed container, offers no undo for it, and counts the ones that failed", async () => {
    mockIPC((cmd, args) => {
      calls.push([cmd, args]);
      if ((args as { id?: string }).id === c.id) throw { code: "Conflict", message: "busy" };
      return null;
    });
    const actions = new ContainerActions();
    await actions.remove(a, false);
    expect(actions.done).toEqual({ text: `Removed ${a.name}`, undo: null });
    await actions.many("Stop", [a, c]);
    expect(actions.done?.text).toBe(`Stopped ${a.name} (1 failed: see its row)`);
    expect(actions.errors[c.id]?.message).toBe("busy");
    await actions.many("Stop", [c]);
    expect(actions.done).toBeNull();
  });
});
