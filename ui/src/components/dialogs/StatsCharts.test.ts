import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import type { Channel } from "@tauri-apps/api/core";
import type { StatsEvent } from "../../bindings";
import { pageIs, statsSample } from "../../test-fixtures";
import StatsCharts from "./StatsCharts.svelte";

let streams: Channel<StatsEvent>[];
let stopped: number[];

beforeEach(() => {
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
    // One reading is no line yet, but each chart shows it as a dot at its right edge.
    const dots = () => [...document.querySelectorAll("svg line.now")].map((l) => l.getAttribute("x1"));
    await waitFor(() => expect(dots()).toEqual(["297", "297"]));
    expect(document.querySelector("polyline")).toBeNull();
    streams[0].onmessage({ kind: "Sample", data: sample(101, 60) });
    await waitFor(() => expect(screen.getByRole("img", { name: "CPU over the last 5 minutes, now 60%" })).toBeInTheDocument());
    expect(screen.queryByRole("alert")).toBeNull();

    streams[0].onmessage({ kind: "Ended", data: { code: "Unreachable", message: "The engine went away." } });
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Measuring stopped: The engine went away.");
    // The last reading is not shown as if it were current.
    expect(screen.getByRole("img", { name: "CPU over the last 5 minutes" })).toBeInTheDocument();
    expect(screen.getAllByText("no reading")).toHaveLength(2);
    expect(dots()).toEqual([]);

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
