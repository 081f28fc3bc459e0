import { describe, expect, it } from "vitest";
import { formatBytes, matchesQuery, naturalKey, relativeTime, shortId, sortNaturally } from "./format";

describe("format", () => {
  it("shortens ids like the CLI", () => {
    expect(shortId("sha256:0123456789abcdef0123")).toBe("0123456789ab");
    expect(shortId("fedcba9876543210")).toBe("fedcba987654");
  });

  it("prints sizes in decimal units", () => {
    expect(formatBytes(0)).toBe("0 B");
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(1_234_567)).toBe("1.23 MB");
    expect(formatBytes(56_700_000)).toBe("56.7 MB");
    expect(formatBytes(2_000_000_000)).toBe("2 GB");
    expect(formatBytes(-1)).toBe("–");
  });

  it("matches every word in any field, ignoring case", () => {
    expect(matchesQuery("", "x")).toBe(true);
    expect(matchesQuery("WEB nginx", "shop-web-1", "nginx:1.25")).toBe(true);
    expect(matchesQuery("web redis", "shop-web-1", "nginx:1.25")).toBe(false);
    expect(matchesQuery("a", null, undefined)).toBe(false);
  });
});

describe("natural order", () => {
  const sorted = (names: string[]) => sortNaturally(names, (n) => n);

  it("orders numbers inside names by value, as the docker CLI's users number them", () => {
    expect(sorted(["web-10", "web-2", "web-1", "web-100", "web-20"])).toEqual(["web-1", "web-2", "web-10", "web-20", "web-100"]);
    expect(sorted(["v1.10", "v1.9", "v1.10.1", "v1.2"])).toEqual(["v1.2", "v1.9", "v1.10", "v1.10.1"]);
    expect(sorted(["a99999999999999999999999", "a1"])).toEqual(["a1", "a99999999999999999999999"]);
  });

  it("ignores case first, then keeps one order for names that differ only in case or zeros", () => {
    expect(sorted(["beta", "Alpha", "alpha2", "ALPHA"])).toEqual(["ALPHA", "Alpha", "alpha2", "beta"]);
    expect(sorted(["web-07", "web-7", "web-6"])).toEqual(["web-6", "web-07", "web-7"]);
    expect(naturalKey("Web-07")).toBe(naturalKey("web-7"));
  });

  it("pads every run of digits wherever it is, and strips its leading zeros but the last", () => {
    const pad = (n: string) => n.padStart(20, "0");
    expect(naturalKey("7")).toBe(pad("7"));
    expect(naturalKey("12ab003cd")).toBe(`${pad("12")}ab${pad("3")}cd`);
    expect(naturalKey("x-000")).toBe(`x-${pad("0")}`);
    expect(naturalKey("A0B")).toBe(`a${pad("0")}b`);
    expect(naturalKey("no-digits")).toBe("no-digits");
    expect(naturalKey("")).toBe("");
    expect(naturalKey("a123456789012345678901234")).toBe("a123456789012345678901234");
  });

  it("puts digits before letters and keeps Docker's separators in code-point order", () => {
    expect(sorted(["ab", "a1", "a-b", "a_b", "a.b"])).toEqual(["a-b", "a.b", "a1", "a_b", "ab"]);
  });

  it("sorts by the first name, then the next, and leaves the input alone", () => {
    const rows = [
      { repo: "app", tag: "v10" },
      { repo: "app", tag: "v9" },
      { repo: "App2", tag: "latest" },
      { repo: "app10", tag: "a" },
    ];
    const before = [...rows];
    expect(sortNaturally(rows, (r) => r.repo, (r) => r.tag).map((r) => `${r.repo}:${r.tag}`)).toEqual([
      "app:v9",
      "app:v10",
      "App2:latest",
      "app10:a",
    ]);
    expect(rows).toEqual(before);
  });
});


describe("relativeTime", () => {
  const now = Date.parse("2026-12-02T12:00:00Z");
  it("says how long ago, in the largest whole unit", () => {
    expect(relativeTime("2026-12-02T11:59:58Z", now)).toBe("just now");
    expect(relativeTime("2026-12-02T11:59:48Z", now)).toBe("12 seconds ago");
    expect(relativeTime("2026-12-02T11:59:00Z", now)).toBe("1 minute ago");
    expect(relativeTime("2026-12-02T09:30:00Z", now)).toBe("2 hours ago");
    expect(relativeTime("2026-11-27T12:00:00.123456789Z", now)).toBe("5 days ago");
    expect(relativeTime("2025-10-01T00:00:00Z", now)).toBe("1 year ago");
    expect(relativeTime("2026-12-02T12:02:00Z", now)).toBe("in 2 minutes");
  });
  it("takes milliseconds since the epoch as well (a list's created time), 0 being unknown", () => {
    expect(relativeTime(Date.parse("2026-12-02T11:15:00Z"), now)).toBe("45 minutes ago");
    expect(relativeTime(0, now)).toBe("never");
  });
  it("says never for the engine's zero time and for nothing", () => {
    expect(relativeTime("0001-01-01T00:00:00Z", now)).toBe("never");
    expect(relativeTime("", now)).toBe("never");
    expect(relativeTime(null, now)).toBe("never");
  });
});
