// Finding text in log lines: plain or regular expression, with or without case.

export type Query = { text: string; regex: boolean; caseSensitive: boolean };

export type Matcher = {
  /** Does the line match? */
  test(line: string): boolean;
  /** Where it matches, as [start, end) pairs, in order, never empty or overlapping. */
  ranges(line: string): [number, number][];
};

export type Compiled = { ok: true; matcher: Matcher | null } | { ok: false; error: string };

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Compile a query; an empty one matches nothing (and filters nothing). */
export function compile(q: Query): Compiled {
  if (!q.text) return { ok: true, matcher: null };
  let re: RegExp;
  try {
    re = new RegExp(q.regex ? q.text : escape(q.text), q.caseSensitive ? "gu" : "giu");
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
  return {
    ok: true,
    matcher: {
      test(line) {
        re.lastIndex = 0;
        return re.test(line);
      },
      ranges(line) {
        const out: [number, number][] = [];
        re.lastIndex = 0;
        for (let m = re.exec(line); m; m = re.exec(line)) {
          if (m[0].length === 0) {
            // An empty match (e.g. /x*/) highlights nothing; step past it.
            re.lastIndex++;
            continue;
          }
          out.push([m.index, m.index + m[0].length]);
        }
        return out;
      },
    },
  };
}

export type Piece<T> = { text: string; style: T; mark: boolean };

/** Cut styled spans (whose texts join to the searched line) at the match ranges. */
export function highlight<T>(spans: { text: string; style: T }[], ranges: [number, number][]): Piece<T>[] {
  if (ranges.length === 0) return spans.map((s) => ({ ...s, mark: false }));
  const out: Piece<T>[] = [];
  let pos = 0;
  let r = 0;
  for (const span of spans) {
    let offset = 0;
    while (offset < span.text.length) {
      const at = pos + offset;
      while (r < ranges.length && ranges[r][1] <= at) r++;
      const range = ranges[r];
      let end: number;
      let mark: boolean;
      if (!range || range[0] >= pos + span.text.length) {
        end = span.text.length;
        mark = false;
      } else if (range[0] > at) {
        end = range[0] - pos;
        mark = false;
      } else {
        end = Math.min(range[1] - pos, span.text.length);
        mark = true;
      }
      out.push({ text: span.text.slice(offset, end), style: span.style, mark });
      offset = end;
    }
    pos += span.text.length;
  }
  return out;
}
