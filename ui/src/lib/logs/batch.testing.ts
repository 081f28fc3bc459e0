// For tests: lines as the backend sends them (one LineBatch), written as one object per line.
import type { LineBatch } from "../../bindings";

export type TestLine = { source: number; stream: "Out" | "Err"; ts: string; text: string };

export function batchOf(lines: TestLine[]): LineBatch {
  const source = lines[0]?.source ?? 0;
  // What all timestamps begin with goes once, as the backend sends it.
  let stamped = lines[0]?.ts ?? "";
  for (const l of lines) while (!l.ts.startsWith(stamped)) stamped = stamped.slice(0, -1);
  return {
    text: lines.map((l) => l.text + "\n").join(""),
    stamped,
    ts: lines.map((l) => l.ts.slice(stamped.length) + "\n").join(""),
    streams: lines.map((l) => (l.stream === "Err" ? "e" : "o")).join(""),
    source,
    sources: lines.some((l) => l.source !== source) ? lines.map((l) => l.source) : null,
  };
}
