import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import type { Channel } from "@tauri-apps/api/core";
import type { DiskUsage, EngineEvent, EngineStatus } from "../../bindings";
import { Engine } from "../../lib/engine/feed.svelte";
import { CONNECTED } from "../../test-fixtures";
import DiskView from "./DiskView.svelte";

let events: Channel<EngineEvent> | null;
let asked: (() => void)[];
let images: number;

const kind = (size: number) => ({ count: size ? 1 : 0, active: 0, size, reclaimable: size });
function usage(): DiskUsage {
  return { images: kind(images), containers: kind(0), volumes: kind(0), build_cache: kind(0), image_items: [], container_items: [], volume_items: [], cache_items: [] };
}

beforeEach(() => {
  events = null;
  asked = [];
  mockIPC((cmd, args) => {
    const a = args as Record<string, unknown>;
    if (cmd === "watch_engine") {
      events = a.onEvent as Channel<EngineEvent>;
      return 1;
    }
    if (cmd === "disk_usage") {
      const answer = usage();
      return new Promise((done) => asked.push(() => done(answer)));
    }
    return null;
  });
});

afterEach(() => {
  cleanup();
  clearMocks();
});

async function opened() {
  const engine = new Engine();
  render(DiskView, { engine });
  await engine.connect();
  return (status: EngineStatus | "Switched") =>
    events!.onmessage(status === "Switched" ? { kind: "Switched" } : { kind: "Status", data: status });
}

describe("DiskView", () => {
  it("measures once the engine connects, and again for the engine switched to", async () => {
    images = 1_000_000;
    const say = await opened();
    expect(screen.getByText("Waiting for the engine…")).toBeTruthy();
    expect(asked).toHaveLength(0);
    say(CONNECTED);
    await screen.findByRole("button", { name: "Measuring…" });
    asked.shift()!();
    await screen.findByRole("group", { name: "Images: 1 MB, 1 MB reclaimable" });

    // The old engine's answer, come after a switch, is not shown for the new engine.
    await fireEvent.click(screen.getByRole("button", { name: "Measure again" }));
    await waitFor(() => expect(asked).toHaveLength(1));
    say("Switched");
    await screen.findByText("Waiting for the engine…");
    images = 2_000_000;
    say(CONNECTED);
    await waitFor(() => expect(asked).toHaveLength(2));
    const [old, now] = asked;
    now();
    await screen.findByRole("group", { name: "Images: 2 MB, 2 MB reclaimable" });
    old();
    // A task later, every promise the old answer resolved has run.
    await new Promise((later) => setTimeout(later));
    expect(screen.getByRole("group", { name: /^Images: / })).toHaveAccessibleName("Images: 2 MB, 2 MB reclaimable");
  });
});
