import { describe, expect, it } from "vitest";
import { TerminalInput } from "./input";

/** A session that answers each delivery only when told to. */
function session(answer = true) {
  const got: string[] = [];
  const waiting: (() => void)[] = [];
  const later = (what: string) =>
    new Promise<boolean>((resolve) => {
      got.push(what);
      waiting.push(() => resolve(answer));
    });
  const sink = {
    input: (data: string) => later(data),
    resize: (cols: number, rows: number) => later(`${cols}x${rows}`),
  };
  const answerNext = async () => {
    waiting.shift()?.();
    await new Promise((r) => setTimeout(r));
  };
  return { got, sink, answerNext };
}

const opened = { cols: 80, rows: 24 };

describe("TerminalInput", () => {
  it("keeps what is typed before the session opens and delivers it first", async () => {
    const input = new TerminalInput();
    const s = session();
    input.push("echo hi");
    input.push("\r");
    expect(s.got).toEqual([]);
    input.open(s.sink, opened);
    input.push("ls\r");
    expect(s.got).toEqual(["echo hi\r"]);
    await s.answerNext();
    expect(s.got).toEqual(["echo hi\r", "ls\r"]);
  });

  it("sends one delivery at a time and joins what is typed meanwhile, in order", async () => {
    const input = new TerminalInput();
    const s = session();
    input.open(s.sink, opened);
    input.push("a");
    input.push("b");
    input.push("c");
    expect(s.got).toEqual(["a"]);
    await s.answerNext();
    expect(s.got).toEqual(["a", "bc"]);
    input.push("d");
    expect(s.got).toEqual(["a", "bc"]);
    await s.answerNext();
    await s.answerNext();
    expect(s.got).toEqual(["a", "bc", "d"]);
  });

  it("sends a size the pane took while the session opened, and only the latest of many", async () => {
    const input = new TerminalInput();
    const s = session();
    input.resize(100, 30);
    input.open(s.sink, opened);
    expect(s.got).toEqual(["100x30"]);
    input.resize(101, 30);
    input.resize(102, 31);
    await s.answerNext();
    expect(s.got).toEqual(["100x30", "102x31"]);
  });

  it("does not resend the size the session opened with", async () => {
    const input = new TerminalInput();
    const s = session();
    input.resize(80, 24);
    input.open(s.sink, opened);
    expect(s.got).toEqual([]);
  });

  it("stops when the session no longer takes input", async () => {
    const input = new TerminalInput();
    const s = session(false);
    input.open(s.sink, opened);
    input.push("exit\r");
    input.push("more");
    input.resize(90, 20);
    await s.answerNext();
    input.push("after");
    await s.answerNext();
    expect(s.got).toEqual(["exit\r"]);
  });

  it("delivers nothing once closed, even what waited for the session", async () => {
    const input = new TerminalInput();
    const s = session();
    input.push("typed early");
    input.resize(90, 20);
    input.close();
    input.open(s.sink, opened);
    input.push("late");
    expect(s.got).toEqual([]);
  });
});
