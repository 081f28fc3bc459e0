// The colour theme: the setting's choice, or the OS's for "System" (followed as it changes).
import type { Theme } from "../../bindings";

let chosen: Theme = "System";
let media: MediaQueryList | null = null;

function apply() {
  const dark = chosen === "Dark" || (chosen === "System" && !!media?.matches);
  document.documentElement.dataset.theme = dark ? "dark" : "light";
}

export function applyTheme(theme: Theme): void {
  chosen = theme;
  if (!media && typeof window.matchMedia === "function") {
    media = window.matchMedia("(prefers-color-scheme: dark)");
    media.addEventListener("change", apply);
  }
  apply();
}
