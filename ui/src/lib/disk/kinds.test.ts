import { describe, expect, it } from "vitest";
import { describeReport, planCount, planSummary } from "./kinds";

const item = (name: string, size: number) => ({ name, id: name, size, in_use: false });

describe("clean-up words", () => {
  it("count what a plan removes and what it frees", () => {
    const plan = { containers: [item("old", 20_000)], images: [item("abc", 1_000_000)], networks: ["n1"], volumes: [], build_cache: 0, frees: 1_020_000 };
    expect(planCount(plan)).toBe(3);
    expect(planSummary(plan)).toBe("Remove 3 items, free about 1.02 MB");
    expect(planSummary({ ...plan, containers: [], images: [], networks: [] })).toBe("Nothing to remove");
    expect(planCount({ ...plan, build_cache: 5 })).toBe(4);
  });

  it("name what could not be removed", () => {
    const r = { removals: [{ name: "old", error: null }, { name: "web:1", error: { code: "Conflict" as const, message: "in use" } }], freed: 1000 };
    expect(describeReport(r)).toBe("Removed 1 item and freed 1 kB. Not removed: web:1 (in use).");
  });
});
