import { describe, expect, it } from "vitest";
import { asText, pieces, shortTs, SHOWN, stateText } from "./text";
import { LogSession } from "./session.svelte";
import { compile } from "./search";
import type { Entry } from "./lines";

const entry = (text: string, over: Partial<Entry> = {}): Entry => ({
  source: 0,
  stream: "Out",
  ts: "2026-11-28T09:30:00.123456789Z",
  text,
  plain: text.replace(/\x1b\[[0-9;]*m/g, ""),
  ...over,
});

describe("log text", () => {
  it("draws colours, marks matches, and cuts a huge line", () => {
    const q = compile({ text: "err", regex: false, caseSensitive: false });
    const matcher = q.ok ? q.matcher : null;
    const p = pieces(entry("\x1b[31mred error\x1b[0m"), matcher);
    expect(p.map((x) => [x.text, x.mark])).toEqual([["red ", false], ["err", true], ["or", false]]);
    expect(p[0].style.fg).toBeTruthy();
    const long = pieces(entry("x".repeat(SHOWN * 3)), null);
    expect(long.reduce((n, x) => n + x.text.length, 0)).toBe(SHOWN);
  });

  it("writes lines for copy and save, with what the view shows", () => {
    const label = (s: number) => (s >= 0 ? ["web", "db"][s] : "berth");
    expect(asText(entry("hi"), { timestamps: false, sources: false, label })).toBe("hi");
    expect(asText(entry("hi", { source: 1 }), { timestamps: true, sources: true, label })).toBe(
      "2026-11-28T09:30:00.123456789Z db | hi",
    );
    expect(asText(entry("restarted", { stream: "Marker", source: -1 }), { timestamps: false, sources: false, label })).toBe(
      "--- berth restarted ---",
    );
    expect(shortTs("2026-11-28T09:30:00.123456789Z")).toBe("2026-11-28 09:30:00.123");
  });

  it("says following is paused while the view is scrolled up", () => {
    const s = new LogSession(["a"], { tail: 100, since: null, capacity: 1000 });
    s.phase = "following";
    expect(stateText(s, "web", 1)).toBe("Following");
    expect(stateText(s, "web", 1, true)).toBe("Paused (scrolled up)");
    s.phase = "stopped";
    expect(stateText(s, "web", 1, true)).toContain("web is not running");
  });
});
