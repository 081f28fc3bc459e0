// Terminal output as styled text. SGR sequences (colours, bold, ...) become styles on spans; every
// other escape sequence (cursor moves, OSC 8 hyperlinks, titles, ...) is removed, and other
// control characters are shown as visible symbols. The result is only ever rendered as text.
// Own parser: the ANSI libraries emit HTML, and container output is never rendered as HTML.

export type Style = {
  fg?: string;
  bg?: string;
  bold?: boolean;
  dim?: boolean;
  italic?: boolean;
  underline?: boolean;
  inverse?: boolean;
  strike?: boolean;
};

export type Span = { text: string; style: Style };

// The 16 basic colours come from the theme (app.css), chosen to stay readable on its background.
const BASIC = [0, 1, 2, 3, 4, 5, 6, 7].map((n) => `var(--ansi-${n})`);
const BRIGHT = [8, 9, 10, 11, 12, 13, 14, 15].map((n) => `var(--ansi-${n})`);

/** The 256-colour palette entry `n` as CSS. */
export function color256(n: number): string | undefined {
  if (!Number.isInteger(n) || n < 0 || n > 255) return undefined;
  if (n < 8) return BASIC[n];
  if (n < 16) return BRIGHT[n - 8];
  if (n < 232) {
    const c = n - 16;
    const v = (x: number) => (x === 0 ? 0 : 55 + x * 40);
    return `rgb(${v(Math.floor(c / 36))}, ${v(Math.floor(c / 6) % 6)}, ${v(c % 6)})`;
  }
  const g = 8 + (n - 232) * 10;
  return `rgb(${g}, ${g}, ${g})`;
}

function extended(params: number[], i: number): { color?: string; used: number } {
  if (params[i + 1] === 5) return { color: color256(params[i + 2]), used: 2 };
  if (params[i + 1] === 2) {
    const [r, g, b] = params.slice(i + 2, i + 5);
    const ok = [r, g, b].every((x) => Number.isInteger(x) && x >= 0 && x <= 255);
    return { color: ok ? `rgb(${r}, ${g}, ${b})` : undefined, used: 4 };
  }
  return { used: 0 };
}

function applySgr(style: Style, params: number[]): Style {
  const s = { ...style };
  if (params.length === 0) params = [0];
  for (let i = 0; i < params.length; i++) {
    const p = params[i];
    if (p === 0) for (const k of Object.keys(s) as (keyof Style)[]) delete s[k];
    else if (p === 1) s.bold = true;
    else if (p === 2) s.dim = true;
    else if (p === 3) s.italic = true;
    else if (p === 4) s.underline = true;
    else if (p === 7) s.inverse = true;
    else if (p === 9) s.strike = true;
    else if (p === 22) delete s.bold, delete s.dim;
    else if (p === 23) delete s.italic;
    else if (p === 24) delete s.underline;
    else if (p === 27) delete s.inverse;
    else if (p === 29) delete s.strike;
    else if (p >= 30 && p <= 37) s.fg = BASIC[p - 30];
    else if (p >= 90 && p <= 97) s.fg = BRIGHT[p - 90];
    else if (p === 39) delete s.fg;
    else if (p >= 40 && p <= 47) s.bg = BASIC[p - 40];
    else if (p >= 100 && p <= 107) s.bg = BRIGHT[p - 100];
    else if (p === 49) delete s.bg;
    else if (p === 38 || p === 48) {
      const { color, used } = extended(params, i);
      if (color) s[p === 38 ? "fg" : "bg"] = color;
      i += used;
    }
  }
  return s;
}

function visible(c: number): string {
  if (c === 0x7f) return "\u2421";
  return String.fromCharCode(0x2400 + c);
}

/** Split `text` into styled spans; escape sequences other than SGR are dropped. */
export function parseAnsi(text: string): Span[] {
  const spans: Span[] = [];
  let style: Style = {};
  let buf = "";
  // Plain characters are taken a run at a time: one string per run, not one per character.
  let run = 0;
  const take = (end: number) => {
    if (end > run) buf += text.slice(run, end);
  };
  const flush = () => {
    if (buf) spans.push({ text: buf, style });
    buf = "";
  };
  let i = 0;
  const n = text.length;
  while (i < n) {
    const code = text.charCodeAt(i);
    if (code === 0x1b || code === 0x9b) {
      take(i);
      const next = code === 0x9b ? "[" : text[i + 1];
      const body = code === 0x9b ? i + 1 : i + 2;
      if (next === "[") {
        // CSI: parameters and intermediates, then one final byte in @..~
        let j = body;
        while (j < n && !(text.charCodeAt(j) >= 0x40 && text.charCodeAt(j) <= 0x7e)) j++;
        if (j < n && text[j] === "m" && /^[\d;:]*$/.test(text.slice(body, j))) {
          flush();
          const raw = text.slice(body, j);
          const params = raw === "" ? [] : raw.split(/[;:]/).map((x) => (x === "" ? 0 : Number(x)));
          style = applySgr(style, params);
        }
        i = Math.min(j + 1, n);
      } else if (next === "]" || next === "P" || next === "X" || next === "^" || next === "_") {
        // OSC, DCS, SOS, PM, APC: up to BEL or ST (ESC \). An OSC 8 link keeps only its text.
        let j = body;
        while (j < n && text[j] !== "\x07" && !(text[j] === "\x1b" && text[j + 1] === "\\")) j++;
        i = j >= n ? n : text[j] === "\x07" ? j + 1 : j + 2;
      } else {
        // A two-character escape (ESC c, ESC 7, ESC ( B, ...).
        i = next === "(" || next === ")" || next === "#" ? i + 3 : i + 2;
      }
      run = Math.min(i, n);
      continue;
    }
    if ((code < 0x20 && code !== 0x09) || code === 0x7f) {
      take(i);
      if (code !== 0x0d) buf += visible(code);
      run = i + 1;
    }
    i++;
  }
  take(n);
  flush();
  return spans;
}

// Escapes and control characters (tab aside): what makes a text's plain form differ from it.
const SPECIAL = "\\x00-\\x08\\x0b-\\x1f\\x7f\\x9b";
const SPECIAL_IN_LINE = new RegExp(`[\\x0a${SPECIAL}]`);
/** For lines joined by `\n`: a text without a match is, line by line, its own plain text. */
export const SPECIAL_IN_LINES = new RegExp(`[${SPECIAL}]`);

/** The text without any escape sequence, as search and copy see it. */
export function plainText(text: string): string {
  // Fast path: most lines hold no escape and no control character.
  if (!SPECIAL_IN_LINE.test(text)) return text;
  return parseAnsi(text).map((s) => s.text).join("");
}

/** Inline CSS for a style (values come from the fixed palette above or validated numbers). */
export function css(style: Style): string {
  const fg = style.inverse ? (style.bg ?? "var(--bg)") : style.fg;
  const bg = style.inverse ? (style.fg ?? "var(--text)") : style.bg;
  const parts: string[] = [];
  if (fg) parts.push(`color: ${fg}`);
  if (bg) parts.push(`background: ${bg}`);
  if (style.bold) parts.push("font-weight: 700");
  if (style.dim) parts.push("opacity: 0.7");
  if (style.italic) parts.push("font-style: italic");
  const deco = [style.underline && "underline", style.strike && "line-through"].filter(Boolean);
  if (deco.length) parts.push(`text-decoration: ${deco.join(" ")}`);
  return parts.join("; ");
}
