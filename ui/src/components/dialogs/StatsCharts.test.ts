import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import type { Channel } from "@tauri-apps/api/core";
import type uPlot from "uplot";
import type { StatsEvent } from "../../bindings";
import { pageIs, statsSample } from "../../test-fixtures";
import StatsCharts from "./StatsCharts.svelte";

// jsdom has no canvas: a stand-in for uPlot keeps what the chart hands it.
type Plot = { opts: uPlot.Options; data: uPlot.AlignedData; destroyed: boolean };
const plots = vi.hoisted(() => [] as Plot[]);
vi.mock("uplot", () => ({
  default: class {
    destroyed = false;
    constructor(
      public opts: uPlot.Options,
      public data: uPlot.AlignedData,
      el: HTMLElement,
    ) {
      el.append(document.createElement("canvas"));
      plots.push(this);
    }
    setData(d: uPlot.AlignedData) {
      this.data = d;
    }
    setSize() {}
    destroy() {
      this.destroyed = true;
    }
  },
}));

const live = () => plots.filter((p) => !p.destroyed);
/** The time of each live chart's dot (its newest point, while current), or null. */
const dots = () =>
  live().map((p) => {
    const at = (p.opts.series[1].points!.filter as (u: unknown, s: number, show: boolean) => number[] | null)(p, 1, false);
    return at && p.data[0][at[0]];
  });

let streams: Channel<StatsEvent>[];
let stopped: number[];

beforeEach(() => {
  plots.length = 0;
  streams = [];
  stopped = [];
  mockIPC((cmd, args) => {
    const a = args as Record<string, unknown>;
    if (cmd === "watch_stats") {
      streams.push(a.onEvent as Channel<StatsEvent>);
      return streams.length;
    }
    if (cmd === "stop_stream") stopped.push(a.id as number);
    return true;
  });
});

afterEach(() => {
  cleanup();
  clearMocks();
});

const sample = (at_s: number, cpu: number) => statsSample({ at_ms: at_s * 1000, cpu_percent: cpu });

describe("StatsCharts", () => {
  it("fills with readings, says why they stopped, and measures again on request", async () => {
    render(StatsCharts, { id: "abc" });
    await waitFor(() => expect(streams).toHaveLength(1));
    streams[0].onmessage({ kind: "Sample", data: sample(100, 40) });
    // One reading is no line yet, but each chart shows it as a dot, at the right edge of its span.
    await waitFor(() => expect(dots()).toEqual([100, 100]));
    expect(live().map((p) => (p.opts.scales!.x.range as unknown as (u: unknown) => number[])(p))).toEqual([
      [-200, 100],
      [-200, 100],
    ]);
    streams[0].onmessage({ kind: "Sample", data: sample(101, 60) });
    await waitFor(() => expect(screen.getByRole("img", { name: "CPU over the last 5 minutes, now 60%" })).toBeInTheDocument());
    expect(screen.queryByRole("alert")).toBeNull();

    streams[0].onmessage({ kind: "Ended", data: { code: "Unreachable", message: "The engine went away." } });
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Measuring stopped: The engine went away.");
    // The last reading is not shown as if it were current.
    expect(screen.getByRole("img", { name: "CPU over the last 5 minutes" })).toBeInTheDocument();
    expect(screen.getAllByText("no reading")).toHaveLength(2);
    expect(dots()).toEqual([null, null]);
    // The lines drawn stay.
    expect(live()[0].data).toEqual([
      [100, 101],
      [40, 60],
    ]);

    await fireEvent.click(screen.getByRole("button", { name: "Measure again" }));
    await waitFor(() => expect(streams).toHaveLength(2));
    expect(stopped).toEqual([1]);
    // Why it stopped stays said until readings come again.
    expect(screen.getByRole("alert")).toHaveTextContent("Measuring stopped");
    // The five minutes already drawn stay; the new stream adds to them.
    streams[1].onmessage({ kind: "Sample", data: sample(102, 80) });
    await waitFor(() => expect(screen.getByRole("region", { name: "Resource use" })).toHaveAttribute("data-samples", "3"));
    expect(screen.queryByRole("alert")).toBeNull();
    expect(screen.getByRole("img", { name: "CPU over the last 5 minutes, now 80%" })).toBeInTheDocument();
  });

  it("reads the sample under the pointer", async () => {
    render(StatsCharts, { id: "abc" });
    await waitFor(() => expect(streams).toHaveLength(1));
    const at = new Date(2026, 11, 5, 14, 3, 20).getTime() / 1000;
    streams[0].onmessage({ kind: "Sample", data: sample(at, 40.123) });
    streams[0].onmessage({ kind: "Sample", data: sample(at + 1, 60) });
    await waitFor(() => expect(live()[0]?.data[0]).toHaveLength(2));
    const hover = (idx: number | null) => live()[0].opts.hooks!.setCursor![0]!({ cursor: { idx } } as uPlot);
    hover(0);
    expect(await screen.findByText("at 14:03:20: 40%")).toBeInTheDocument();
    hover(null);
    expect(await screen.findByText("60%")).toBeInTheDocument();
  });

  it("draws again in the colours of a new theme", async () => {
    const root = document.documentElement;
    // What the theme's style sheet sets (jsdom does not pass custom properties down).
    const theme = document.head.appendChild(document.createElement("style"));
    try {
      theme.textContent = "[role=img] { --accent: #101010 }";
      render(StatsCharts, { id: "abc" });
      await waitFor(() => expect(live()).toHaveLength(2));
      expect(live()[0].opts.series[1].stroke).toBe("#101010");
      theme.textContent = "[role=img] { --accent: #fafafa }";
      root.dataset.theme = root.dataset.theme === "dark" ? "light" : "dark";
      await waitFor(() => expect(live().map((p) => p.opts.series[1].stroke)).toEqual(["#fafafa", "#fafafa"]));
      expect(plots.filter((p) => p.destroyed)).toHaveLength(2);
    } finally {
      theme.remove();
    }
  });

  it("shows no old reading as current after the window was in the tray", async () => {
    try {
      render(StatsCharts, { id: "abc" });
      await waitFor(() => expect(streams).toHaveLength(1));
      streams[0].onmessage({ kind: "Sample", data: sample(100, 40) });
      await screen.findByText(/processes$/);
      pageIs("hidden");
      pageIs("visible");
      await waitFor(() => expect(streams).toHaveLength(2));
      expect(screen.getAllByText("waiting for a sample…")).toHaveLength(2);
      expect(screen.queryByText(/processes$/)).toBeNull();
      // What was drawn stays.
      expect(screen.getByRole("region", { name: "Resource use" })).toHaveAttribute("data-samples", "1");
    } finally {
      pageIs("visible");
    }
  });

  it("says so when the engine refuses to start the readings", async () => {
    mockIPC((cmd) => {
      if (cmd === "watch_stats") throw { code: "NotFound", message: "No such container: abc" };
      return true;
    });
    render(StatsCharts, { id: "abc" });
    expect(await screen.findByRole("alert")).toHaveTextContent("Measuring stopped: No such container: abc");
    expect(screen.getByRole("img", { name: "CPU over the last 5 minutes" })).toBeInTheDocument();
    expect(screen.getAllByText("no reading")).toHaveLength(2);
  });

  it("says a container that stopped is not running, without an error", async () => {
    render(StatsCharts, { id: "abc" });
    await waitFor(() => expect(streams).toHaveLength(1));
    streams[0].onmessage({ kind: "Ended", data: null });
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Measuring stopped: the container is not running.");
    expect(alert.querySelector(".bad")).toBeNull();
  });
});
