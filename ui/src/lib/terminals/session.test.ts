import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import type { Channel } from "@tauri-apps/api/core";
import type { TermEvent } from "../../bindings";
import { TerminalSession } from "./session.svelte";

let calls: [string, unknown][];
let channel: Channel<TermEvent> | null;
let answer: (value: unknown) => void;

beforeEach(() => {
  calls = [];
  channel = null;
  mockIPC((cmd, args) => {
    calls.push([cmd, args]);
    if (cmd === "open_terminal") {
      channel = (args as { onEvent: Channel<TermEvent> }).onEvent;
      return new Promise((resolve) => (answer = resolve));
    }
    return null;
  });
});

afterEach(() => clearMocks());

const names = () => calls.map(([c]) => c);

describe("TerminalSession", () => {
  it("keeps what is typed while it opens, then writes output and says how it ended", async () => {
    const out: string[] = [];
    const s = new TerminalSession("c1", { kind: "Auto" }, (t) => out.push(t));
    const opened = s.open({ cols: 80, rows: 24 });
    s.type("ls\r");
    await Promise.resolve();
    expect(names()).toEqual(["open_terminal"]);
    answer({ stream: 5, attached: true, title: "sh" });
    await opened;
    await new Promise((r) => setTimeout(r, 0));
    expect(calls.find(([c]) => c === "terminal_input")?.[1]).toEqual({ stream: 5, data: "ls\r" });
    expect(s.attached).toBe(true);
    expect(s.title).toBe("sh");
    channel!.onmessage({ kind: "Output", data: "hi" });
    channel!.onmessage({ kind: "Exited", data: { code: 3 } });
    expect(out).toEqual(["hi"]);
    expect(s.exited).toBe(3);
    s.close();
    await Promise.resolve();
    expect(calls.at(-1)).toEqual(["stop_stream", { id: 5 }]);
  });

  it("ends a session whose tab closed before it opened", async () => {
    const s = new TerminalSession("c1", { kind: "Shell" }, () => {});
    const opened = s.open({ cols: 80, rows: 24 });
    s.type("never sent");
    s.close();
    answer({ stream: 8, attached: false, title: "shell" });
    await opened;
    await new Promise((r) => setTimeout(r, 0));
    expect(names()).toEqual(["open_terminal", "stop_stream"]);
    expect(calls[1][1]).toEqual({ id: 8 });
  });
});
