import { afterEach, describe, expect, it } from "vitest";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import type { Project } from "../../bindings";
import { ProjectActions, summary } from "./projects.svelte";

afterEach(() => clearMocks());

const shop = { name: "shop", volumes: ["shop_data"], networks: ["shop_default"], members: [] } as unknown as Project;

describe("project actions", () => {
  it("takes the volumes down only after a second confirmation", async () => {
    const calls: unknown[] = [];
    mockIPC((cmd, args) => {
      if (cmd === "down_project") {
        calls.push(args);
        return { containers: [{ name: "shop_web_1", error: null }], networks: [{ name: "shop_default", error: null }], volumes: [] };
      }
    });
    const a = new ProjectActions();
    a.askDown(shop);
    a.withVolumes = true;
    await a.confirmDown();
    expect(a.volumesStep).toBe(true);
    expect(calls).toEqual([]);
    await a.confirmDown();
    expect(calls).toEqual([{ project: "shop", volumes: true }]);
    expect(a.downing).toBeNull();
    expect(a.said.shop).toEqual({ text: "Down: 2 done.", failed: false });
  });

  it("takes a project down without its volumes in one confirmation", async () => {
    const calls: unknown[] = [];
    mockIPC((cmd, args) => {
      if (cmd === "down_project") {
        calls.push(args);
        return { containers: [], networks: [], volumes: [] };
      }
    });
    const a = new ProjectActions();
    a.askDown(shop);
    await a.confirmDown();
    expect(calls).toEqual([{ project: "shop", volumes: false }]);
  });

  it("says which containers an action failed on", () => {
    expect(summary("Stop", [{ name: "a", error: null }, { name: "b", error: { code: "NotFound", message: "gone" } }])).toEqual({
      text: "Stop: 1 done; b: gone.",
      failed: true,
    });
  });
});
