import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import type { Settings } from "../../bindings";
import { DEFAULTS, SettingsStore } from "../../lib/settings/store.svelte";
import SettingsView from "./SettingsView.svelte";

let saved: Settings[];
let trayShown: boolean;

beforeEach(() => {
  saved = [];
  trayShown = true;
  mockIPC((cmd, args) => {
    if (cmd === "tray_shown") return trayShown;
    if (cmd === "get_settings") return { settings: { ...DEFAULTS, favourites: ["db"] }, problem: null };
    if (cmd === "set_settings") {
      const s = (args as { settings: Settings }).settings;
      saved.push(s);
      return s;
    }
    return null;
  });
});

afterEach(() => {
  cleanup();
  clearMocks();
});

describe("SettingsView", () => {
  it("saves which containers notify", async () => {
    const settings = new SettingsStore();
    await settings.load();
    render(SettingsView, { settings });
    const all = (await screen.findByRole("radio", { name: "For every container" })) as HTMLInputElement;
    expect(all.checked).toBe(true);
    await fireEvent.click(screen.getByRole("radio", { name: "For favourite containers only" }));
    await waitFor(() => expect(saved.at(-1)?.notify).toBe("Favourites"));
    // Everything else is kept as it was.
    expect(saved.at(-1)?.favourites).toEqual(["db"]);
    await fireEvent.click(screen.getByRole("radio", { name: "Never" }));
    await waitFor(() => expect(saved.at(-1)?.notify).toBe("Off"));
  });
});

describe("SettingsView before the settings are loaded", () => {
  it("keeps a change made before they arrive, and saves it over them, not over the defaults", async () => {
    let release = () => {};
    const arrived = new Promise<void>((r) => (release = r));
    mockIPC(async (cmd, args) => {
      if (cmd === "tray_shown") return true;
      if (cmd === "get_settings") {
        await arrived;
        return { settings: { ...DEFAULTS, favourites: ["db"] }, problem: null };
      }
      if (cmd === "set_settings") {
        const s = (args as { settings: Settings }).settings;
        saved.push(s);
        return s;
      }
      return null;
    });
    const settings = new SettingsStore();
    const loading = settings.load();
    render(SettingsView, { settings });
    const box = (await screen.findByRole("checkbox", { name: "Show each running container's CPU, memory, I/O and processes in the containers list" })) as HTMLInputElement;
    await fireEvent.click(box);
    expect(settings.value.stats_columns).toBe(true);
    expect(saved).toEqual([]);
    release();
    await loading;
    await waitFor(() => expect(saved).toHaveLength(1));
    expect(saved[0]).toMatchObject({ stats_columns: true, favourites: ["db"] });
    await waitFor(() => expect(box.checked).toBe(true));
    expect(settings.value).toMatchObject({ stats_columns: true, favourites: ["db"] });
  });
});

describe("SettingsView and the tray", () => {
  it("offers close-to-tray where the desktop shows a tray", async () => {
    const settings = new SettingsStore();
    await settings.load();
    render(SettingsView, { settings });
    const box = (await screen.findByRole("checkbox", { name: "Closing the window keeps Berth running in the tray" })) as HTMLInputElement;
    await waitFor(() => expect(box.checked).toBe(true));
    expect(box.disabled).toBe(false);
    expect(screen.queryByText(/shows no tray icons/)).toBeNull();
  });

  it("says why close-to-tray is unavailable where the desktop shows none", async () => {
    trayShown = false;
    const settings = new SettingsStore();
    await settings.load();
    render(SettingsView, { settings });
    const box = (await screen.findByRole("checkbox", { name: "Closing the window keeps Berth running in the tray" })) as HTMLInputElement;
    await waitFor(() => expect(box.disabled).toBe(true));
    expect(box.checked).toBe(false);
    expect(box).toHaveAccessibleDescription(/shows no tray icons.*closing the window quits Berth/);
  });
});

describe("SettingsView while the tray's answer is awaited", () => {
  it("shows its controls only with the answer, so the note it may add moves nothing under the pointer", async () => {
    let answer = (_: boolean) => {};
    mockIPC((cmd) => {
      if (cmd === "tray_shown") return new Promise<boolean>((r) => (answer = r));
      if (cmd === "get_settings") return { settings: DEFAULTS, problem: null };
      return null;
    });
    const settings = new SettingsStore();
    await settings.load();
    render(SettingsView, { settings });
    const stats = { name: "Show each running container's CPU, memory, I/O and processes in the containers list" };
    await new Promise((r) => setTimeout(r, 0));
    expect(screen.queryByRole("checkbox", stats)).toBeNull();
    answer(false);
    await screen.findByRole("checkbox", stats);
    // The note is there from the first frame the box is drawn in.
    expect(screen.getByText(/shows no tray icons/)).toBeTruthy();
  });
});

describe("SettingsStore favourites", () => {
  it("stars and unstars a container by name, saving each time", async () => {
    const settings = new SettingsStore();
    await settings.load();
    await settings.toggleFavourite("web");
    expect(saved.at(-1)?.favourites).toEqual(["db", "web"]);
    expect(settings.isFavourite("web")).toBe(true);
    await settings.toggleFavourite("db");
    expect(saved.at(-1)?.favourites).toEqual(["web"]);
    expect(settings.isFavourite("db")).toBe(false);
  });
});
