import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { tick } from "svelte";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import type { Channel } from "@tauri-apps/api/core";
import type { Container, EngineEvent, StatsEvent, StatsSample } from "../../bindings";
import { Engine } from "../../lib/engine/feed.svelte";
import { RETRY_MS } from "../../lib/containers/stats.svelte";
import { CONNECTED, container, pageIs } from "../../test-fixtures";
import OverviewView from "./OverviewView.svelte";

let events: Channel<EngineEvent> | null;
let containers: Container[];
let stats: Map<string, Channel<StatsEvent>>;

beforeEach(() => {
  events = null;
  stats = new Map();
  mockIPC((cmd, args) => {
    const a = args as Record<string, unknown>;
    switch (cmd) {
      case "watch_engine":
        events = a.onEvent as Channel<EngineEvent>;
        return 1;
      case "containers_since":
        return { version: 1, whole: containers, changed: [], gone: [] };
      case "watch_stats":
        stats.set(a.id as string, a.onEvent as Channel<StatsEvent>);
        return 100 + stats.size;
      case "stop_stream":
        return true;
      case "list_images":
      case "list_volumes":
        return [];
      default:
        return null;
    }
  });
});

afterEach(() => {
  cleanup();
  clearMocks();
});

function sample(id: string, cpu: number): StatsSample {
  return { id, at_ms: 0, cpu_percent: cpu, mem_usage: cpu * 1_000_000, mem_limit: 1e9, mem_percent: cpu / 10, net_rx: 0, net_tx: 0, block_read: 0, block_write: 0, pids: 1 };
}

let opened: Container[];

async function shown() {
  opened = [];
  const engine = new Engine();
  render(OverviewView, { engine, onshow: () => {}, oncontainer: (c: Container) => opened.push(c) });
  await engine.connect();
  events!.onmessage({ kind: "Status", data: CONNECTED });
  events!.onmessage({ kind: "Changed", data: { containers: true, images: true, networks: true, volumes: true } });
}

describe("OverviewView", () => {
  it("ranks the running containers as their figures come, saying how many are still measured", async () => {
    containers = [container(1), container(2), container(3), container(4, { state: "exited", status: "Exited (0)" })];
    await shown();
    await screen.findByRole("button", { name: "Containers: 3 running, 1 stopped" });
    // One stream per running container, none for the stopped one.
    await waitFor(() => expect([...stats.keys()].sort()).toEqual([0, 1, 2].map((i) => containers[i].id)));
    expect(screen.getAllByText("Measuring…")).toHaveLength(2);

    stats.get(containers[1].id)!.onmessage({ kind: "Sample", data: sample(containers[1].id, 40) });
    const top = await screen.findByRole("list", { name: "Top CPU" });
    expect(within(top).getAllByRole("listitem").map((li) => li.textContent)).toEqual(["box-000240%"]);
    expect(screen.getByText("Measuring 2 more running containers…")).toBeTruthy();

    stats.get(containers[0].id)!.onmessage({ kind: "Sample", data: sample(containers[0].id, 5) });
    stats.get(containers[2].id)!.onmessage({ kind: "Sample", data: sample(containers[2].id, 80) });
    await waitFor(() => expect(within(top).getAllByRole("listitem").map((li) => li.textContent)).toEqual(["box-000380%", "box-000240%", "box-00015.0%"]));
    expect(screen.queryByText(/^Measuring/)).toBeNull();

    // A name opens that container's details.
    await fireEvent.click(within(top).getByRole("button", { name: "box-0002" }));
    expect(opened).toEqual([containers[1]]);

    // Back from the tray, nothing is ranked until new figures come.
    try {
      pageIs("hidden");
      pageIs("visible");
      await waitFor(() => expect(screen.queryByRole("list", { name: "Top CPU" })).toBeNull());
      expect(screen.getAllByText("Measuring…")).toHaveLength(2);
    } finally {
      pageIs("visible");
    }
  });

  it("drops a container whose readings failed from the ranking and says why", async () => {
    containers = [container(1), container(2)];
    await shown();
    await waitFor(() => expect(stats.size).toBe(2));
    stats.get(containers[0].id)!.onmessage({ kind: "Sample", data: sample(containers[0].id, 30) });
    const top = await screen.findByRole("list", { name: "Top CPU" });
    expect(screen.getByText("Measuring 1 more running container…")).toBeTruthy();

    stats.get(containers[0].id)!.onmessage({ kind: "Ended", data: { code: "Unreachable", message: "The engine went away." } });
    expect(await screen.findByRole("alert")).toHaveTextContent("Could not measure 1 running container: The engine went away.");
    await waitFor(() => expect(top).not.toBeInTheDocument());
    // The failed one is not counted as still being measured.
    expect(screen.getAllByText("Measuring…")).toHaveLength(2);
    expect(screen.queryByText(/^Measuring \d/)).toBeNull();
  });

  it("measures a failed container again a while later and takes its failure back", async () => {
    containers = [container(1)];
    await shown();
    await waitFor(() => expect(stats.size).toBe(1));
    const id = containers[0].id;
    const first = stats.get(id)!;
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    try {
      first.onmessage({ kind: "Ended", data: { code: "Unreachable", message: "The engine went away." } });
      await tick();
      expect(screen.getByRole("alert")).toHaveTextContent("Could not measure 1 running container");
      vi.advanceTimersByTime(RETRY_MS);
    } finally {
      vi.useRealTimers();
    }
    await waitFor(() => expect(stats.get(id)).not.toBe(first));
    stats.get(id)!.onmessage({ kind: "Sample", data: sample(id, 30) });
    const top = await screen.findByRole("list", { name: "Top CPU" });
    expect(within(top).getAllByRole("listitem")).toHaveLength(1);
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("says no reading when every running container failed", async () => {
    containers = [container(1)];
    await shown();
    await waitFor(() => expect(stats.size).toBe(1));
    stats.get(containers[0].id)!.onmessage({ kind: "Ended", data: { code: "Unreachable", message: "The engine went away." } });
    await screen.findByRole("alert");
    expect(screen.getAllByText("No reading.")).toHaveLength(2);
    expect(screen.queryByText("Measuring…")).toBeNull();
  });

  it("measures the failed containers again at once on request", async () => {
    containers = [container(1), container(2)];
    await shown();
    await waitFor(() => expect(stats.size).toBe(2));
    const [a, b] = containers.map((c) => c.id);
    const [firstA, firstB] = [stats.get(a)!, stats.get(b)!];
    firstA.onmessage({ kind: "Ended", data: { code: "Unreachable", message: "The engine went away." } });
    await screen.findByRole("alert");
    // The other one is still being measured.
    expect(screen.getAllByText("Measuring…")).toHaveLength(2);
    firstB.onmessage({ kind: "Sample", data: sample(b, 30) });
    await fireEvent.click(screen.getByRole("button", { name: "Measure again" }));
    await waitFor(() => expect(stats.get(a)).not.toBe(firstA));
    // Only the failed one is asked again.
    expect(stats.get(b)).toBe(firstB);
    stats.get(a)!.onmessage({ kind: "Sample", data: sample(a, 50) });
    const top = await screen.findByRole("list", { name: "Top CPU" });
    await waitFor(() => expect(within(top).getAllByRole("listitem")).toHaveLength(2));
    expect(screen.queryByRole("alert")).toBeNull();
  });
});
