// For tests: lines as the backend sends them (one LineBatch), written as one object per line.
import type { LineBatch } from "../../bindings";

export type TestLine = { source: number; stream: "Out" | "Err"; ts: string; text: string };

export function batchOf(lines: TestLine[]): LineBatch {
  const source = lines[0]?.source ?? 0;
  return {
    text: lines.map((l) => l.text + "\n").join(""),
    ts: lines.map((l) => l.ts + "\n").join(""),
    streams: lines.map((l) => (l.stream === "Err" ? "e" : "o")).join(""),
    source,
    sources: lines.some((l) => l.source !== source) ? lines.map((l) => l.source) : null,
  };
}
