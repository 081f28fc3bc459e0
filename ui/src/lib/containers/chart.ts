// A stats chart drawn on a canvas by uPlot, which is loaded the first time a chart is shown.
import type uPlot from "uplot";

/** What one chart shows; read again each time it draws. */
export type ChartView = {
  /** The right edge, in seconds since the epoch; the left edge is `span` before it. */
  now: number;
  span: number;
  /** The scale's top (its bottom is 0). */
  top: number;
  format: (v: number) => string;
  /** Whether the newest point is a current reading, drawn as a dot. */
  dot: boolean;
};

/** The theme's colours for a canvas, which cannot read CSS variables itself. */
export type ChartColours = { line: string; grid: string; text: string };

/** The colours in force at `el` (its CSS variables `--accent`, `--line`, `--muted`). */
export function coloursAt(el: Element): ChartColours {
  const css = getComputedStyle(el);
  const v = (name: string, or: string) => css.getPropertyValue(name).trim() || or;
  return { line: v("--accent", "#0f5fa8"), grid: v("--line", "#dde1e8"), text: v("--muted", "#667085") };
}

const two = (n: number) => String(n).padStart(2, "0");

/** "14:03" at a whole minute, else "14:03:20", in the machine's time zone. */
export function clockText(seconds: number, withSeconds = seconds % 60 !== 0): string {
  const d = new Date(seconds * 1000);
  const hm = `${two(d.getHours())}:${two(d.getMinutes())}`;
  return withSeconds ? `${hm}:${two(d.getSeconds())}` : hm;
}

const FONT = "11px system-ui, sans-serif";

/** uPlot's options for a chart of `view()` in `colours`, `width` × `height` pixels, calling
 *  `onhover` with the index of the sample under the pointer (null when it leaves). */
export function chartOptions(
  view: () => ChartView,
  colours: ChartColours,
  width: number,
  height: number,
  onhover: (index: number | null) => void,
): uPlot.Options {
  const axis = { stroke: colours.text, font: FONT, grid: { stroke: colours.grid, width: 1 }, ticks: { stroke: colours.grid, width: 1, size: 4 } };
  return {
    width,
    height,
    legend: { show: false },
    select: { show: false, left: 0, top: 0, width: 0, height: 0 },
    cursor: { y: false, drag: { x: false, y: false, setScale: false }, points: { size: 7 }, move: snapToSample },
    scales: {
      x: { time: true, range: () => [view().now - view().span, view().now] },
      y: { range: () => [0, view().top] },
    },
    axes: [
      { ...axis, size: 24, space: 60, values: (_u, splits) => splits.map((s) => clockText(s)) },
      { ...axis, size: 58, splits: () => [0, view().top / 2, view().top], values: (_u, splits) => splits.map((s) => view().format(s)) },
    ],
    series: [
      {},
      {
        stroke: colours.line,
        width: 1.5,
        points: {
          show: false,
          size: 6,
          fill: colours.line,
          // Only the newest point, and only while it is a current reading.
          filter: (u) => (view().dot && u.data[0].length > 0 ? [u.data[0].length - 1] : null),
        },
      },
    ],
    hooks: { setCursor: [(u) => onhover(u.cursor.idx ?? null)] },
  };
}

/** The pointer's line moved onto the sample it reads (the nearest in time), not left between. */
export function snapToSample(u: uPlot, left: number, top: number): [number, number] {
  const at = u.data[0][u.posToIdx(left)];
  return at == null ? [left, top] : [u.valToPos(at, "x"), top];
}

/** WebKitGTK names the language of the C.UTF-8 locale "C", which `Intl` refuses, and uPlot makes a
 *  number format of the page's language when it loads: such a language is taken as "en-US". */
export function usableLanguage(): void {
  try {
    Intl.getCanonicalLocales(navigator.language);
  } catch {
    Object.defineProperty(navigator, "language", { value: "en-US", configurable: true });
  }
}

let loading: Promise<typeof uPlot> | null = null;

/** uPlot and its style sheet, loaded once. */
export function loadChart(): Promise<typeof uPlot> {
  usableLanguage();
  loading ??= Promise.all([import("uplot"), import("uplot/dist/uPlot.min.css")]).then(
    ([m]) => m.default,
    (e: unknown) => {
      loading = null;
      throw e;
    },
  );
  return loading;
}
