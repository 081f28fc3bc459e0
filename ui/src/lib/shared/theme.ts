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

/** Call `f` after each change of the theme shown (the setting's, the OS's, or set directly).
 *  Returns what stops it. For what cannot take its colours from CSS, such as a canvas. */
export function onThemeChange(f: () => void): () => void {
  const seen = new MutationObserver(f);
  seen.observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
  return () => seen.disconnect();
}
