import { afterEach, describe, expect, it } from "vitest";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import type { Image } from "../../bindings";
import { ImageActions } from "./actions.svelte";

afterEach(() => clearMocks());

const image = (id: string, over: Partial<Image> = {}) =>
  ({ id, names: [], repo_tags: [], used_by: [], children: [], dangling: true, ...over }) as unknown as Image;

describe("image actions", () => {
  it("forces a removal only when asked, and says what happened", async () => {
    const calls: unknown[] = [];
    mockIPC((cmd, args) => {
      if (cmd === "remove_image") {
        calls.push(args);
        if (!(args as { force: boolean }).force) throw { code: "InUse", message: "could not remove app:1: containers use it (web)" };
        return null;
      }
    });
    const a = new ImageActions();
    const used = image("sha256:a", { names: [{ repository: "app", tag: "1", origin: "official" }], used_by: ["web"] });
    await a.remove(used, false);
    expect(a.errors["sha256:a"].code).toBe("InUse");
    expect(a.said).toBeNull();
    await a.remove(used, true);
    expect(a.errors["sha256:a"]).toBeUndefined();
    expect(a.said).toBe("Removed app:1.");
    expect(calls).toEqual([
      { id: "sha256:a", force: false },
      { id: "sha256:a", force: true },
    ]);
  });

  it("prunes exactly the images shown, by id, and keeps the space freed", async () => {
    let pruned: string[] = [];
    mockIPC((cmd, args) => {
      if (cmd === "image_prune_candidates") return [image("sha256:x"), image("sha256:y")];
      if (cmd === "image_usage") return [{ id: "sha256:x", size: 10, shared: 4, unique: 6 }, { id: "sha256:y", size: 5, shared: 0, unique: 5 }];
      if (cmd === "prune_images") {
        pruned = (args as { ids: string[] }).ids;
        return { removals: pruned.map((name) => ({ name, error: null })), freed: 11 };
      }
    });
    const a = new ImageActions();
    await a.measure();
    await a.prune.ask();
    expect(a.frees(a.prune.shown!)).toBe(11);
    await a.prune.confirm();
    expect(pruned).toEqual(["sha256:x", "sha256:y"]);
    expect(a.freed).toBe(11);
    expect(a.prune.results).toHaveLength(2);
  });
});
