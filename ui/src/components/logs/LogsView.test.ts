import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import type { Channel } from "@tauri-apps/api/core";
import type { LogEvent } from "../../bindings";
import { batchOf } from "../../lib/logs/batch.testing";
import LogsView from "./LogsView.svelte";

/** Counts the rows of `log` whose content is drawn again from now on (moving a row is not). */
function redrawn(log: HTMLElement): () => number {
  const rows = new Set<Element>();
  const take = (records: MutationRecord[]) => {
    for (const r of records) {
      for (const node of [r.target, ...r.addedNodes]) {
        const row = (node instanceof Element ? node : node.parentElement)?.closest(".line");
        if (row) rows.add(row);
      }
    }
  };
  const watch = new MutationObserver(take);
  watch.observe(log, { subtree: true, childList: true, characterData: true });
  return () => {
    take(watch.takeRecords());
    return rows.size;
  };
}

let channel: Channel<LogEvent> | null;
let opened: { tail: number | null; since: number | null }[];
let saved: { fileName: string; text: string }[];

beforeEach(() => {
  channel = null;
  opened = [];
  saved = [];
  mockIPC((cmd, args) => {
    const a = args as Record<string, unknown>;
    if (cmd === "follow_logs") {
      channel = a.onEvent as Channel<LogEvent>;
      opened.push({ tail: a.tail as number | null, since: a.since as number | null });
      return opened.length;
    }
    if (cmd === "save_log") {
      saved.push({ fileName: a.fileName as string, text: a.text as string });
      return "/tmp/web.log";
    }
    return true;
  });
});

afterEach(() => {
  cleanup();
  clearMocks();
});

const ts = "2026-11-28T09:30:00.123456789Z";

async function lines(...texts: string[]) {
  await waitFor(() => expect(channel).not.toBeNull());
  channel!.onmessage({ kind: "Lines", data: batchOf(texts.map((text, i) => ({ source: 0, stream: i % 2 ? "Err" : "Out", ts, text }))) });
  channel!.onmessage({ kind: "Following" });
}

describe("LogsView", () => {
  it("titles a compose project's logs with the project, and others by their count", async () => {
    render(LogsView, { targets: [{ id: "a", name: "shop-web-1", project: "shop" }, { id: "b", name: "shop-db-1", project: "shop" }], onclose: () => {} });
    expect(screen.getByRole("log", { name: "Log of project shop" })).toBeInTheDocument();
    cleanup();
    render(LogsView, { targets: [{ id: "a", name: "shop-web-1", project: "shop" }, { id: "c", name: "lone" }], onclose: () => {} });
    expect(screen.getByRole("log", { name: "Log of 2 containers" })).toBeInTheDocument();
  });

  it("renders hostile output as text with its colours", async () => {
    render(LogsView, { targets: [{ id: "c1", name: "web" }], onclose: () => {} });
    await lines('<img src=x onerror="alert(1)">', "\x1b[32mgreen\x1b[0m <b>bold?</b>", "\x1b]8;;http://x.example\x07link\x1b]8;;\x07");
    const log = screen.getByRole("log", { name: "Log of web" });
    await waitFor(() => expect(log).toHaveTextContent('<img src=x onerror="alert(1)">'));
    expect(log.querySelector("img, b, a")).toBeNull();
    expect(log).toHaveTextContent("green <b>bold?</b>");
    expect(log).toHaveTextContent("link");
    expect(log).not.toHaveTextContent("x.example");
    const green = [...log.querySelectorAll("span")].find((s) => s.textContent === "green")!;
    expect(green.getAttribute("style")).toContain("color: var(--ansi-2)");
    expect(log.querySelectorAll(".line.err")).toHaveLength(1);
    // A row holds exactly the line: no stray spaces from the markup (rows are white-space: pre).
    expect([...log.querySelectorAll(".line")].map((l) => l.textContent)).toEqual([
      '<img src=x onerror="alert(1)">',
      "green <b>bold?</b>",
      "link",
    ]);
  });

  it("searches, counts matches, filters to matching lines and reports a bad pattern", async () => {
    render(LogsView, { targets: [{ id: "c1", name: "web" }], onclose: () => {} });
    const search = screen.getByRole("searchbox", { name: "Search the log" });
    await fireEvent.input(search, { target: { value: "500" } });
    // Lines arriving after the search was typed are searched too.
    await lines("GET /a 200", "GET /b 500", "POST /c 500");
    await waitFor(() => expect(screen.getByRole("status", { name: "Matches" })).toHaveTextContent("2 of 2"));
    await fireEvent.click(screen.getByRole("button", { name: "Next match" }));
    expect(screen.getByRole("status", { name: "Matches" })).toHaveTextContent("1 of 2");
    await fireEvent.click(screen.getByRole("checkbox", { name: "Only matching lines" }));
    const log = screen.getByRole("log", { name: "Log of web" });
    await waitFor(() => expect(log.querySelectorAll(".line")).toHaveLength(2));
    expect([...log.querySelectorAll(".mark")].map((m) => m.textContent)).toEqual(["500", "500"]);

    await fireEvent.click(screen.getByRole("checkbox", { name: "Regex" }));
    await fireEvent.input(search, { target: { value: "(" } });
    expect(screen.getByRole("status", { name: "Matches" })).toHaveTextContent("Invalid pattern");
  });

  it("reopens from the chosen start and saves what it holds", async () => {
    render(LogsView, { targets: [{ id: "c1", name: "web" }], onclose: () => {} });
    await lines("one", "two");
    channel = null;
    await fireEvent.change(screen.getByRole("combobox", { name: "Start from" }), { target: { value: "tail:all" } });
    await waitFor(() => expect(opened).toHaveLength(2));
    expect(opened[0]).toEqual({ tail: 1000, since: null });
    // "All" asks for no more than the view keeps.
    expect(opened[1]).toEqual({ tail: 100_000, since: null });
    await lines("three");
    await waitFor(() => expect(screen.getByRole("log", { name: "Log of web" })).toHaveTextContent("three"));
    await fireEvent.click(screen.getByRole("button", { name: "Copy or save the log" }));
    await fireEvent.click(screen.getByRole("menuitem", { name: "Save…" }));
    await waitFor(() => expect(saved).toEqual([{ fileName: "web.log", text: "three" }]));
    expect(await screen.findByText("Saved to /tmp/web.log")).toBeInTheDocument();
  });

  it("shows or hides each service of a project, and searches only what it shows", async () => {
    const targets = [
      { id: "a", name: "shop-web-1", project: "shop", service: "web" },
      { id: "b", name: "shop-db-1", project: "shop", service: "db" },
    ];
    render(LogsView, { targets, onclose: () => {} });
    await waitFor(() => expect(channel).not.toBeNull());
    channel!.onmessage({
      kind: "Lines",
      data: batchOf([
        { source: 0, stream: "Out", ts, text: "GET / 200" },
        { source: 1, stream: "Out", ts, text: "checkpoint done" },
        { source: 0, stream: "Out", ts, text: "GET /cart 500" },
      ]),
    });
    channel!.onmessage({ kind: "Following" });
    const log = screen.getByRole("log", { name: "Log of project shop" });
    // Each row: the container's name, then its line.
    const texts = () => [...log.querySelectorAll(".line")].map((l) => l.textContent);
    await waitFor(() => expect(texts()).toHaveLength(3));
    const services = screen.getByRole("group", { name: "Services of shop shown" });
    expect(services).toHaveTextContent("web");
    expect(services).toHaveTextContent("db");

    await fireEvent.click(screen.getByRole("checkbox", { name: "web" }));
    await waitFor(() => expect(texts()).toEqual(["shop-db-1checkpoint done"]));
    // A hidden service's lines are not searched either.
    await fireEvent.input(screen.getByRole("searchbox", { name: "Search the log" }), { target: { value: "GET" } });
    expect(screen.getByRole("status", { name: "Matches" })).toHaveTextContent("No matches");
    // Lines that arrive keep to the choice.
    channel!.onmessage({ kind: "Lines", data: batchOf([{ source: 0, stream: "Out", ts, text: "GET /late 200" }, { source: 1, stream: "Out", ts, text: "vacuum" }]) });
    await waitFor(() => expect(texts()).toEqual(["shop-db-1checkpoint done", "shop-db-1vacuum"]));

    await fireEvent.click(screen.getByRole("checkbox", { name: "db" }));
    expect(await screen.findByText("No lines from the containers shown.")).toBeInTheDocument();
    await fireEvent.click(screen.getByRole("checkbox", { name: "web" }));
    await waitFor(() => expect(texts()).toEqual(["shop-web-1GET / 200", "shop-web-1GET /cart 500", "shop-web-1GET /late 200"]));
    expect(screen.getByRole("status", { name: "Matches" })).toHaveTextContent("3 of 3");
  });

  it("folds the check boxes of many containers behind a count of those shown", async () => {
    // Selected from the bottom of the list up: the check boxes still go by name.
    const targets = Array.from({ length: 8 }, (_, i) => ({ id: `c${i}`, name: `worker-${7 - i}` }));
    render(LogsView, { targets, onclose: () => {} });
    await lines("ready");
    const fold = screen.getByRole("button", { name: "All 8 containers shown" });
    expect(fold).toHaveAttribute("aria-expanded", "false");
    expect(screen.queryByRole("group", { name: "Containers shown" })).toBeNull();

    await fireEvent.click(fold);
    expect(fold).toHaveAttribute("aria-expanded", "true");
    const group = screen.getByRole("group", { name: "Containers shown" });
    expect([...group.querySelectorAll("label")].map((l) => l.textContent?.trim())).toEqual(targets.map((t) => t.name).reverse());
    await fireEvent.click(screen.getByRole("checkbox", { name: "worker-3" }));
    expect(fold).toHaveAccessibleName("7 of 8 containers shown");

    // Folded again, the count still says what is hidden, and unfolding keeps the choice.
    await fireEvent.click(fold);
    expect(screen.queryByRole("group", { name: "Containers shown" })).toBeNull();
    expect(fold).toHaveAccessibleName("7 of 8 containers shown");
    await fireEvent.click(fold);
    expect(screen.getByRole("checkbox", { name: "worker-3" })).not.toBeChecked();
    expect(screen.getByRole("checkbox", { name: "worker-4" })).toBeChecked();

    // All at once: none shown, then all again.
    const checked = () => screen.getByRole("group", { name: "Containers shown" }).querySelectorAll("input:checked").length;
    await fireEvent.click(screen.getByRole("button", { name: "Hide all containers" }));
    expect(fold).toHaveAccessibleName("0 of 8 containers shown");
    expect(checked()).toBe(0);
    expect(await screen.findByText("No lines from the containers shown.")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Hide all containers" })).toBeDisabled();
    await fireEvent.click(screen.getByRole("button", { name: "Show all containers" }));
    expect(fold).toHaveAccessibleName("All 8 containers shown");
    expect(checked()).toBe(8);
    expect(screen.getByRole("button", { name: "Show all containers" })).toBeDisabled();
    const log = screen.getByRole("log", { name: "Log of 8 containers" });
    await waitFor(() => expect(log).toHaveTextContent("ready"));
  });

  it("draws only the new lines' rows as lines arrive, in a log of several containers", async () => {
    const targets = [
      { id: "a", name: "web" },
      { id: "b", name: "db" },
    ];
    render(LogsView, { targets, onclose: () => {} });
    await waitFor(() => expect(channel).not.toBeNull());
    const send = (n: number, from: number) =>
      channel!.onmessage({
        kind: "Lines",
        data: batchOf(Array.from({ length: n }, (_, i) => ({ source: (from + i) % 2, stream: "Out" as const, ts, text: `line ${from + i}` }))),
      });
    send(5, 0);
    channel!.onmessage({ kind: "Following" });
    const log = screen.getByRole("log", { name: "Log of 2 containers" });
    await waitFor(() => expect(log).toHaveTextContent("line 4"));
    const drawn = redrawn(log);
    send(2, 5);
    await waitFor(() => expect(log).toHaveTextContent("line 6"));
    expect(log.querySelectorAll(".line")).toHaveLength(7);
    // The five rows already drawn stay as they were: only the two new lines are drawn.
    expect(drawn()).toBe(2);
  });

  it("gives a new line the row of one that left the view, in the log's order", async () => {
    render(LogsView, { targets: [{ id: "c1", name: "web" }], capacity: 5, onclose: () => {} });
    await lines("l0", "l1", "l2", "l3", "l4");
    const log = screen.getByRole("log", { name: "Log of web" });
    await waitFor(() => expect(log).toHaveTextContent("l4"));
    const before = [...log.querySelectorAll(".line")];
    const drawn = redrawn(log);
    await lines("l5", "l6");
    await waitFor(() => expect(log).toHaveTextContent("l6"));
    const after = [...log.querySelectorAll(".line")];
    // The two oldest lines were dropped: their rows now show the two new ones, and are not made again.
    expect(after.map((e) => e.textContent)).toEqual(["l2", "l3", "l4", "l5", "l6"]);
    expect(new Set(after)).toEqual(new Set(before));
    expect(drawn()).toBe(2);
  });

  it("counts the lines dropped as they drop", async () => {
    render(LogsView, { targets: [{ id: "c1", name: "web" }], capacity: 5, onclose: () => {} });
    await lines("l0", "l1", "l2", "l3", "l4");
    const log = screen.getByRole("log", { name: "Log of web" });
    const status = screen.getByRole("status", { name: "Log status" });
    await waitFor(() => expect(log).toHaveTextContent("l4"));
    expect(status).not.toHaveTextContent("dropped");
    await lines("l5", "l6");
    await waitFor(() => expect(status).toHaveTextContent("2 older lines dropped (keeping the latest 5)"));
    await lines("l7");
    await waitFor(() => expect(status).toHaveTextContent("3 older lines dropped"));
  });

  it("keeps following when the view gets shorter, and stops when scrolled up", async () => {
    render(LogsView, { targets: [{ id: "c1", name: "web" }], onclose: () => {} });
    await lines("one", "two");
    const log = screen.getByRole("log", { name: "Log of web" });
    const status = screen.getByRole("status", { name: "Log status" });
    await waitFor(() => expect(status).toHaveTextContent("Following"));
    // jsdom lays nothing out: the viewport's sizes are set by hand.
    const box = { top: 600, client: 400, height: 1000 };
    Object.defineProperty(log, "scrollHeight", { configurable: true, get: () => box.height });
    Object.defineProperty(log, "clientHeight", { configurable: true, get: () => box.client });
    Object.defineProperty(log, "scrollTop", { configurable: true, get: () => box.top, set: (v: number) => (box.top = Math.min(v, box.height - box.client)) });
    await fireEvent.scroll(log);
    expect(status).toHaveTextContent("Following");
    // A smaller window: the same place no longer reaches the end, and the view goes back to it.
    box.client = 300;
    await fireEvent.scroll(log);
    expect(status).toHaveTextContent("Following");
    expect(box.top).toBe(700);
    box.top = 200;
    await fireEvent.scroll(log);
    expect(status).toHaveTextContent("Paused (scrolled up)");
  });
});
