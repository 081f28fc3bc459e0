import { describe, expect, it } from "vitest";
import { color256, css, parseAnsi, plainText } from "./ansi";

describe("parseAnsi", () => {
  it("turns SGR colours and styles into spans", () => {
    const spans = parseAnsi("plain \x1b[1;31mred bold\x1b[0m \x1b[38;5;196mx\x1b[48;2;1;2;3my\x1b[39;49m z");
    expect(spans).toEqual([
      { text: "plain ", style: {} },
      { text: "red bold", style: { bold: true, fg: "var(--ansi-1)" } },
      { text: " ", style: {} },
      { text: "x", style: { fg: color256(196) } },
      { text: "y", style: { fg: color256(196), bg: "rgb(1, 2, 3)" } },
      { text: " z", style: {} },
    ]);
  });

  it("drops other escape sequences and keeps only an OSC 8 link's text", () => {
    const line = "\x1b]8;;https://evil.example\x07click\x1b]8;;\x07 \x1b[2J\x1b[Hcleared \x1b]0;title\x1b\\done\x1bc";
    expect(plainText(line)).toBe("click cleared done");
  });

  it("shows control characters as symbols and keeps markup as text", () => {
    expect(plainText("a\x07b\x00c\td\r")).toBe("a\u2407b\u2400c\td");
    expect(plainText('<script>alert(1)</script><img src=x onerror="alert(2)">')).toBe(
      '<script>alert(1)</script><img src=x onerror="alert(2)">',
    );
  });

  it("survives truncated and malformed sequences", () => {
    expect(plainText("end\x1b")).toBe("end");
    expect(plainText("end\x1b[31")).toBe("end");
    expect(plainText("\x1b]8;;unterminated")).toBe("");
    expect(parseAnsi("\x1b[38;5;999mx")).toEqual([{ text: "x", style: {} }]);
    expect(parseAnsi("\x1b[38;2;300;0;0mx")).toEqual([{ text: "x", style: {} }]);
  });

  it("renders a style as CSS from its own palette only", () => {
    expect(css({ fg: "#cd3131", bold: true, underline: true, strike: true })).toBe(
      "color: #cd3131; font-weight: 700; text-decoration: underline line-through",
    );
    expect(css({ inverse: true })).toBe("color: var(--bg); background: var(--text)");
  });
});
