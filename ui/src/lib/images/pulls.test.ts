import { afterEach, beforeEach, describe as group, expect, it } from "vitest";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import type { Channel } from "@tauri-apps/api/core";
import type { PullProgress } from "../../bindings";
import { describe, describeLayer, Pulls, registryOf } from "./pulls.svelte";

let channel: Channel<PullProgress> | null;
let finish: (outcome: { ok: string } | { err: string; code?: string }) => void;
let cancelled: { reference: string; push: boolean }[] = [];

beforeEach(() => {
  channel = null;
  cancelled = [];
  mockIPC((cmd, args) => {
    if (cmd === "cancel_transfer") {
      cancelled.push(args as { reference: string; push: boolean });
      finish({ err: "pull of x cancelled", code: "Cancelled" });
      return true;
    }
    if (cmd !== "pull_image" && cmd !== "push_image") return null;
    channel = (args as { onProgress: Channel<PullProgress> }).onProgress;
    return new Promise((resolve, reject) => {
      finish = (o) => ("ok" in o ? resolve(o.ok) : reject({ code: o.code ?? "NotFound", message: o.err }));
    });
  });
});

afterEach(() => clearMocks());

const tick = () => new Promise((r) => setTimeout(r));

group("Pulls", () => {
  it("shows progress as it comes, then what was pulled", async () => {
    const pulls = new Pulls();
    const done = pulls.start(" 127.0.0.1:5000/app ");
    await tick();
    expect(describe(pulls.list[0])).toBe("Pulling 127.0.0.1:5000/app…");
    channel!.onmessage({
      resolved: "127.0.0.1:5000/app:latest",
      status: "Downloading",
      current: 1_500_000,
      total: 3_000_000,
      layers: [
        { id: "aaaaaaaaaaaa", phase: "transferring", current: 1_500_000, total: 3_000_000 },
        { id: "bbbbbbbbbbbb", phase: "done", current: 0, total: 0 },
      ],
      layers_done: 1,
    });
    expect(describe(pulls.list[0])).toBe("Pulling 127.0.0.1:5000/app (127.0.0.1:5000/app:latest), 1.5 MB of 3 MB, 1 of 2 layers");
    expect(describeLayer(pulls.list[0].progress!.layers[0], false)).toBe("aaaaaaaaaaaa downloading 1.5 MB of 3 MB");
    expect(describeLayer(pulls.list[0].progress!.layers[1], false)).toBe("bbbbbbbbbbbb done");
    // Asking again while it runs does not start a second pull.
    void pulls.start("127.0.0.1:5000/app");
    expect(pulls.list).toHaveLength(1);
    finish({ ok: "127.0.0.1:5000/app:latest" });
    await done;
    expect(pulls.list[0].state).toBe("done");
    expect(describe(pulls.list[0])).toBe("Pulled 127.0.0.1:5000/app:latest");
  });

  it("keeps the engine's reason when a pull fails", async () => {
    const pulls = new Pulls();
    const done = pulls.start("nope:1");
    await tick();
    finish({ err: "could not pull nope:1: manifest unknown" });
    const p = await done;
    expect(p.state).toBe("failed");
    expect(p.error?.code).toBe("NotFound");
    expect(describe(p)).toBe("could not pull nope:1: manifest unknown");
    pulls.dismiss(p);
    expect(pulls.list).toHaveLength(0);
  });

  it("stops a push when asked and says so", async () => {
    const pulls = new Pulls();
    const done = pulls.start("127.0.0.1:5001/team/app:1", true);
    await tick();
    expect(describe(pulls.list[0])).toBe("Pushing 127.0.0.1:5001/team/app:1…");
    await pulls.cancel(pulls.list[0]);
    const p = await done;
    expect(cancelled).toEqual([{ reference: "127.0.0.1:5001/team/app:1", push: true }]);
    expect(p.state).toBe("cancelled");
    expect(describe(p)).toBe("Stopped the push of 127.0.0.1:5001/team/app:1");
  });

  it("finds the registry a reference names", () => {
    expect(registryOf("127.0.0.1:5001/team/app:1")).toBe("127.0.0.1:5001");
    expect(registryOf("localhost/app")).toBe("localhost");
    expect(registryOf("ghcr.io/x/y")).toBe("ghcr.io");
    expect(registryOf("user/app:1")).toBe("docker.io");
    expect(registryOf("busybox")).toBe("docker.io");
  });
});
