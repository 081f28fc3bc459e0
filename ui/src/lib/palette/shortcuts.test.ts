import { describe, expect, it } from "vitest";
import { SHORTCUTS, shortcutOf } from "./shortcuts";

const key = (k: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean; shiftKey: boolean }> = {}) => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  shiftKey: false,
  ...mods,
});

describe("shortcuts", () => {
  it("focuses the filter with / outside fields and with Ctrl+F anywhere", () => {
    expect(shortcutOf(key("/"))).toBe("filter");
    expect(shortcutOf(key("/"), true)).toBeNull();
    expect(shortcutOf(key("f", { ctrlKey: true }), true)).toBe("filter");
    expect(shortcutOf(key("k", { ctrlKey: true }))).toBe("palette");
    expect(shortcutOf(key("k"))).toBeNull();
    expect(shortcutOf(key("F1"))).toBe("help");
  });

  it("lists every key the handler answers to", () => {
    const handled = ["palette", "containers", "images", "networks", "volumes", "settings", "run", "filter", "help"];
    expect(handled.every((id) => SHORTCUTS.some((s) => s.id === id))).toBe(true);
  });
});
