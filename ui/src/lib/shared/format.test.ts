import { describe, expect, it } from "vitest";
import { formatBytes, formatCreated, matchesQuery, shortId } from "./format";

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

  it("prints creation times compactly and absolutely", () => {
    const now = new Date(2026, 10, 28, 15, 0, 0);
    const today = new Date(2026, 10, 28, 9, 5).getTime() / 1000;
    const thisYear = new Date(2026, 1, 3, 22, 41).getTime() / 1000;
    const lastYear = new Date(2025, 11, 31, 23, 0).getTime() / 1000;
    expect(formatCreated(today, now)).toBe("09:05");
    expect(formatCreated(thisYear, now)).toBe("Feb 3 22:41");
    expect(formatCreated(lastYear, now)).toBe("Dec 31 2025");
    expect(formatCreated(0, now)).toBe("–");
  });

  it("matches every word in any field, ignoring case", () => {
    expect(matchesQuery("", "x")).toBe(true);
    expect(matchesQuery("WEB nginx", "shop-web-1", "nginx:1.25")).toBe(true);
    expect(matchesQuery("web redis", "shop-web-1", "nginx:1.25")).toBe(false);
    expect(matchesQuery("a", null, undefined)).toBe(false);
  });
});
