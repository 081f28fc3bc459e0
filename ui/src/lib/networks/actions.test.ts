import { afterEach, describe, expect, it } from "vitest";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import type { Network } from "../../bindings";
import { NetworkActions } from "./actions.svelte";

const net = { id: "n1", name: "foodtrucks" } as Network;

afterEach(() => clearMocks());

describe("removing a network", () => {
  it("offers to disconnect the attached containers when the engine would refuse", async () => {
    const calls: unknown[] = [];
    mockIPC((cmd, args) => {
      if (cmd !== "remove_network") return;
      calls.push(args);
      const a = args as { disconnectFirst: boolean };
      if (!a.disconnectFirst) throw { code: "InUse", message: "foodtrucks has containers attached: web" };
      return null;
    });
    const actions = new NetworkActions();
    actions.ask(net);
    expect(actions.confirming).toEqual(net);
    await actions.remove(net);
    expect(actions.confirming).toBeNull();
    expect(actions.attached?.message).toContain("web");
    expect(actions.errors).toEqual({});
    await actions.remove(net, true);
    expect(actions.attached).toBeNull();
    expect(calls).toEqual([{ id: "n1", disconnectFirst: false }, { id: "n1", disconnectFirst: true }]);
  });

  it("shows any other refusal on the row", async () => {
    mockIPC(() => {
      throw { code: "Conflict", message: "bridge is made by the engine itself" };
    });
    const actions = new NetworkActions();
    await actions.remove(net);
    expect(actions.attached).toBeNull();
    expect(actions.errors.n1.code).toBe("Conflict");
    actions.dismiss("n1");
    expect(actions.errors).toEqual({});
  });
});
