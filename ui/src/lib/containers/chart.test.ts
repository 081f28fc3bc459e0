import { afterEach, describe, expect, it } from "vitest";
import type uPlot from "uplot";
import { chartOptions, clockText, coloursAt, snapToSample, usableLanguage, type ChartView } from "./chart";

const colours = { line: "#111111", grid: "#222222", text: "#333333" };

function options(view: Partial<ChartView> = {}, onhover: (i: number | null) => void = () => {}) {
  const v: ChartView = { now: 1_000, span: 300, top: 100, format: (n) => `${n}%`, dot: true, ...view };
  return chartOptions(() => v, colours, 320, 130, onhover);
}

/** Enough of a plot for the options' functions: its data and cursor. */
const fake = (xs: number[], idx: number | null = null) => ({ data: [xs, xs], cursor: { idx } }) as unknown as uPlot;

describe("chartOptions", () => {
  it("show the span up to now and the scale from 0 to its top, labelled by the format", () => {
    const o = options({ now: 1_000, span: 300, top: 200, format: (n) => `${n} B` });
    const x = o.scales!.x.range as (u: uPlot) => [number, number];
    const y = o.scales!.y.range as (u: uPlot) => [number, number];
    expect(x(fake([]))).toEqual([700, 1_000]);
    expect(y(fake([]))).toEqual([0, 200]);
    const axis = o.axes![1];
    const splits = (axis.splits as (u: uPlot) => number[])(fake([]));
    expect(splits).toEqual([0, 100, 200]);
    expect((axis.values as (u: uPlot, s: number[]) => string[])(fake([]), splits)).toEqual(["0 B", "100 B", "200 B"]);
  });

  it("draw the theme's colours", () => {
    const o = options();
    expect(o.series[1].stroke).toBe("#111111");
    expect(o.axes![0].stroke).toBe("#333333");
    expect((o.axes![0].grid as { stroke: string }).stroke).toBe("#222222");
  });

  it("mark only the newest point, and only while it is a current reading", () => {
    const filter = (dot: boolean, xs: number[]) => (options({ dot }).series[1].points!.filter as (u: uPlot, s: number, show: boolean) => number[] | null)(fake(xs), 1, false);
    expect(filter(true, [1, 2, 3])).toEqual([2]);
    expect(filter(false, [1, 2, 3])).toBeNull();
    expect(filter(true, [])).toBeNull();
  });

  it("say which sample is under the pointer, and when it leaves", () => {
    const seen: (number | null)[] = [];
    const hook = options({}, (i) => seen.push(i)).hooks!.setCursor![0]!;
    hook(fake([1, 2], 1));
    hook(fake([1, 2], null));
    expect(seen).toEqual([1, null]);
  });
});

describe("snapToSample", () => {
  it("moves the pointer's line onto the nearest sample in time, and leaves it with none", () => {
    // Samples at 100 and 110 s drawn at 10 px a second from 0 px: the pointer at 40 px is 104 s.
    const plot = (xs: number[]) =>
      ({
        data: [xs, xs],
        posToIdx: (left: number) => (xs.length ? (Math.abs(100 + left / 10 - xs[0]) <= Math.abs(100 + left / 10 - xs[xs.length - 1]) ? 0 : xs.length - 1) : -1),
        valToPos: (v: number) => (v - 100) * 10,
      }) as unknown as uPlot;
    expect(snapToSample(plot([100, 110]), 40, 7)).toEqual([0, 7]);
    expect(snapToSample(plot([100, 110]), 60, 7)).toEqual([100, 7]);
    expect(snapToSample(plot([]), 60, 7)).toEqual([60, 7]);
  });

  it("is how the chart moves its pointer", () => {
    expect(options().cursor!.move).toBe(snapToSample);
  });
});

describe("clockText", () => {
  it("writes a whole minute without seconds, and any other time with them", () => {
    const at = new Date(2026, 11, 5, 9, 7, 0).getTime() / 1000;
    expect(clockText(at)).toBe("09:07");
    expect(clockText(at + 5)).toBe("09:07:05");
    expect(clockText(at, true)).toBe("09:07:00");
  });
});

describe("coloursAt", () => {
  it("reads the theme's variables where the chart is", () => {
    const el = document.createElement("div");
    el.style.setProperty("--accent", "#abcdef");
    document.body.append(el);
    expect(coloursAt(el).line).toBe("#abcdef");
    el.remove();
  });
});

describe("usableLanguage", () => {
  afterEach(() => {
    delete (navigator as unknown as Record<string, unknown>).language;
  });

  it("takes a language Intl refuses, as WebKitGTK gives under C.UTF-8, as en-US", () => {
    Object.defineProperty(navigator, "language", { value: "C", configurable: true });
    expect(() => new Intl.NumberFormat(navigator.language)).toThrow(RangeError);
    usableLanguage();
    expect(navigator.language).toBe("en-US");
  });

  it("keeps a language Intl knows", () => {
    Object.defineProperty(navigator, "language", { value: "de-DE", configurable: true });
    usableLanguage();
    expect(navigator.language).toBe("de-DE");
  });
});
