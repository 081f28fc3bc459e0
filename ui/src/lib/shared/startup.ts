// Start-up timeline: milliseconds since navigation start for the steps between the page loading
// and the first container list on screen. Sent to the backend once, which logs it.
import { commands } from "../../bindings";

const marks: [string, number][] = [];

export function mark(step: string): void {
  if (marks.length < 16) marks.push([step, Math.round(performance.now())]);
}

let reported = false;

/** The first container list has been painted. */
export function reportFirstPaint(): void {
  if (reported) return;
  reported = true;
  mark("painted");
  void commands.reportFirstPaint(Math.round(performance.timeOrigin + performance.now()), marks);
}
