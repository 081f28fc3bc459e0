import { afterEach, describe, expect, it } from "vitest";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import type { Volume } from "../../bindings";
import { VolumeActions } from "./actions.svelte";

afterEach(() => clearMocks());

const vol = (name: string, anonymous: boolean) => ({ name, anonymous, used_by: [] }) as unknown as Volume;

describe("volume actions", () => {
  it("removes every unused volume only after a second confirmation naming the named ones", async () => {
    const pruned: string[][] = [];
    mockIPC((cmd, args) => {
      if (cmd === "volume_prune_candidates") return (args as { named: boolean }).named ? [vol("f".repeat(64), true), vol("pgdata", false)] : [];
      if (cmd === "prune_volumes") {
        const names = (args as { names: string[] }).names;
        pruned.push(names);
        return names.map((name) => ({ name, error: null }));
      }
    });
    const a = new VolumeActions();
    await a.pruneAll.ask();
    expect(a.pruneAll.shown?.length).toBe(2);
    await a.confirmAllOnce();
    expect(a.namedStep).toBe(true);
    expect(pruned).toEqual([]);
    await a.confirmNamed();
    expect(pruned).toEqual([["f".repeat(64), "pgdata"]]);
    expect(a.namedStep).toBe(false);
  });

  it("needs no second confirmation when every unused volume is anonymous, and cancels cleanly", async () => {
    const pruned: string[][] = [];
    mockIPC((cmd, args) => {
      if (cmd === "volume_prune_candidates") return [vol("a".repeat(64), true)];
      if (cmd === "prune_volumes") {
        pruned.push((args as { names: string[] }).names);
        return [];
      }
    });
    const a = new VolumeActions();
    await a.pruneAll.ask();
    a.cancelAll();
    expect(a.pruneAll.shown).toBeNull();
    await a.pruneAll.ask();
    await a.confirmAllOnce();
    expect(pruned).toEqual([["a".repeat(64)]]);
  });

  it("keeps the sizes the engine measured, and a refused removal on its row", async () => {
    mockIPC((cmd) => {
      if (cmd === "volume_sizes") return [{ name: "pgdata", bytes: 4096 }];
      if (cmd === "remove_volume") throw { code: "InUse", message: "pgdata is used by db" };
    });
    const a = new VolumeActions();
    await a.measure();
    expect(a.sizes).toEqual({ pgdata: 4096 });
    await a.remove(vol("pgdata", false));
    expect(a.errors.pgdata.code).toBe("InUse");
  });
});
