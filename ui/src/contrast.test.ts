/// <reference types="node" />
// Text colours of both themes against the backgrounds they are drawn on, as WCAG 2 computes
// contrast: every one must reach AA for normal text (4.5:1). Read from app.css itself.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";

const css = readFileSync(resolve(__dirname, "app.css"), "utf8");

/** The custom properties a rule block of app.css declares. */
function block(selector: string): Record<string, string> {
  const start = css.indexOf(`${selector} {`);
  if (start < 0) throw new Error(`no ${selector} block in app.css`);
  const body = css.slice(start, css.indexOf("}", start));
  return Object.fromEntries([...body.matchAll(/(--[\w-]+):\s*(#[0-9a-fA-F]{6})\s*;/g)].map((m) => [m[1], m[2]]));
}

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

const light = block(":root");
const themes = { light, dark: { ...light, ...block(':root[data-theme="dark"]') } };
const TEXT = ["--text", "--muted", "--accent", "--ok", "--warn", "--bad", "--idle"];
const PALETTE = [...Array.from({ length: 16 }, (_, i) => `--ansi-${i}`), ...Array.from({ length: 8 }, (_, i) => `--source-${i}`)];

describe("contrast", () => {
  for (const [name, vars] of Object.entries(themes)) {
    it(`every text colour of the ${name} theme reads on its backgrounds (WCAG AA)`, () => {
      const low: string[] = [];
      for (const v of [...TEXT, ...PALETTE]) {
        expect(vars[v], `${v} in the ${name} theme`).toMatch(/^#/);
        for (const bg of v.startsWith("--ansi") || v.startsWith("--source") ? ["--bg"] : ["--bg", "--panel"]) {
          const ratio = contrast(vars[v], vars[bg]);
          if (ratio < 4.5) low.push(`${v} ${vars[v]} on ${bg} ${vars[bg]}: ${ratio.toFixed(2)}`);
        }
      }
      const bad = contrast(vars["--bad"], vars["--bad-bg"]);
      if (bad < 4.5) low.push(`--bad on --bad-bg: ${bad.toFixed(2)}`);
      const primary = contrast(vars["--bg"], vars["--accent"]);
      if (primary < 4.5) low.push(`a primary button's text on --accent: ${primary.toFixed(2)}`);
      expect(low).toEqual([]);
    });
  }
});
