// The window's keyboard shortcuts: one table for the handler and the help overlay.
/** `id` is what the window's handler does; null for keys handled where they are pressed. */
export type Shortcut = { keys: string; does: string; id: ShortcutId | null };
export type ShortcutId = "palette" | "containers" | "images" | "networks" | "volumes" | "settings" | "run" | "filter" | "help";

export const SHORTCUTS: Shortcut[] = [
  { keys: "Ctrl+K", does: "Command palette: find anything, or type an action", id: "palette" },
  { keys: "Ctrl+1", does: "Containers", id: "containers" },
  { keys: "Ctrl+2", does: "Images", id: "images" },
  { keys: "Ctrl+3", does: "Networks", id: "networks" },
  { keys: "Ctrl+4", does: "Volumes", id: "volumes" },
  { keys: "Ctrl+,", does: "Settings", id: "settings" },
  { keys: "Ctrl+N", does: "Run a container…", id: "run" },
  { keys: "/ or Ctrl+F", does: "Focus the view's filter (the log's search in a log)", id: "filter" },
  { keys: "F1", does: "This list", id: "help" },
  { keys: "Up, Down, Home, End", does: "Move through a list's rows; Enter opens the row", id: null },
  { keys: "Escape", does: "Close a dialog, a menu or the palette", id: null },
  { keys: "Enter, Shift+Enter", does: "In a log's search: the next, the previous match", id: null },
];

/**
 * Which shortcut a key press is, if any. Plain keys ("/") count only when `typing` is false: in
 * a field they are text.
 */
export function shortcutOf(e: Pick<KeyboardEvent, "key" | "ctrlKey" | "metaKey" | "altKey" | "shiftKey">, typing = false): ShortcutId | null {
  if (e.key === "F1") return "help";
  if (e.key === "/" && !(e.ctrlKey || e.metaKey || e.altKey)) return typing ? null : "filter";
  if (!(e.ctrlKey || e.metaKey) || e.altKey) return null;
  const byKey: Record<string, ShortcutId> = {
    k: "palette",
    "1": "containers",
    "2": "images",
    "3": "networks",
    "4": "volumes",
    ",": "settings",
    n: "run",
    f: "filter",
  };
  return byKey[e.key.toLowerCase()] ?? null;
}
