// The window's keyboard shortcuts: one table for the handler and the help overlay.
export type Shortcut = { keys: string; does: string; id: ShortcutId };
export type ShortcutId = "palette" | "containers" | "images" | "networks" | "volumes" | "settings" | "run" | "help";

export const SHORTCUTS: Shortcut[] = [
  { keys: "Ctrl+K", does: "Command palette: find anything, or type an action", id: "palette" },
  { keys: "Ctrl+1", does: "Containers", id: "containers" },
  { keys: "Ctrl+2", does: "Images", id: "images" },
  { keys: "Ctrl+3", does: "Networks", id: "networks" },
  { keys: "Ctrl+4", does: "Volumes", id: "volumes" },
  { keys: "Ctrl+,", does: "Settings", id: "settings" },
  { keys: "Ctrl+N", does: "Run a container…", id: "run" },
  { keys: "F1", does: "This list", id: "help" },
];

/** Which shortcut a key press is, if any. Plain keys typed into fields are never shortcuts. */
export function shortcutOf(e: Pick<KeyboardEvent, "key" | "ctrlKey" | "metaKey" | "altKey" | "shiftKey">): ShortcutId | null {
  if (e.key === "F1") return "help";
  if (!(e.ctrlKey || e.metaKey) || e.altKey) return null;
  const byKey: Record<string, ShortcutId> = {
    k: "palette",
    "1": "containers",
    "2": "images",
    "3": "networks",
    "4": "volumes",
    ",": "settings",
    n: "run",
  };
  return byKey[e.key.toLowerCase()] ?? null;
}
