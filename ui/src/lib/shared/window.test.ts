import { describe, expect, it } from "vitest";
import { rowWindow, scrollToShow } from "./window";

describe("rowWindow", () => {
  it("draws what is in view and the overscan either side, within the list", () => {
    expect(rowWindow(0, 340, 34, 5000, 6)).toEqual({ start: 0, end: 16 });
    expect(rowWindow(3400, 340, 34, 5000, 6)).toEqual({ start: 94, end: 116 });
    expect(rowWindow(169_800, 340, 34, 5000, 6)).toEqual({ start: 4988, end: 5000 });
    expect(rowWindow(0, 340, 34, 0, 6)).toEqual({ start: 0, end: 0 });
  });
});

describe("scrollToShow", () => {
  it("moves only as far as needed", () => {
    expect(scrollToShow(5, 34, 0, 340)).toBe(0);
    expect(scrollToShow(10, 34, 0, 340)).toBe(34);
    expect(scrollToShow(2, 34, 200, 340)).toBe(68);
  });
});
