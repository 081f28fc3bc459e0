// The settings as the window uses them: loaded once, saved on every change, the theme applied.
import { commands, type Settings } from "../../bindings";
import { applyTheme } from "../shared/theme";

export type Full = Required<Settings>;

export const DEFAULTS: Full = {
  theme: "System",
  close_to_tray: true,
  told_about_tray: false,
  log_buffer: 100_000,
  default_tail: 1000,
  start_at_login: false,
  notify: "All",
  favourites: [],
  registries: [],
  stats_columns: false,
};

export class SettingsStore {
  value = $state<Full>({ ...DEFAULTS });
  /** Why the settings file could not be used (reported once, until dismissed or saved over). */
  problem = $state<string | null>(null);
  saveError = $state<string | null>(null);

  // Until the saved settings are here, a change waits for them (it would save the defaults).
  #loading: Promise<void> = Promise.resolve();
  #loaded = false;

  load(): Promise<void> {
    this.#loading = (async () => {
      const loaded = await commands.getSettings();
      this.value = { ...DEFAULTS, ...loaded.settings };
      this.problem = loaded.problem;
      applyTheme(this.value.theme);
      this.#loaded = true;
    })();
    return this.#loading;
  }

  isFavourite(name: string): boolean {
    return this.value.favourites.includes(name);
  }

  /** Star a container by name, or unstar it. */
  toggleFavourite(name: string): Promise<void> {
    const favourites = this.isFavourite(name)
      ? this.value.favourites.filter((f) => f !== name)
      : [...this.value.favourites, name];
    return this.update({ favourites });
  }

  async update(patch: Partial<Full>): Promise<void> {
    let next = { ...this.value, ...patch };
    this.value = next;
    applyTheme(next.theme);
    if (!this.#loaded) {
      // The change goes over what the load brings, not over the defaults.
      await this.#loading.catch(() => undefined);
      next = { ...this.value, ...patch };
      this.value = next;
      applyTheme(next.theme);
    }
    const res = await commands.setSettings(next);
    if (res.status === "ok") {
      this.value = { ...DEFAULTS, ...res.data };
      this.saveError = null;
      this.problem = null;
    } else {
      this.saveError = res.error.message;
    }
  }
}
