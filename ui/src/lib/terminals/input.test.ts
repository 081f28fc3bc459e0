import { describe, expect, it } from "vitest";
import { TerminalInput } from "./input";

/** A session that answers each delivery only when told to. */
function session(answer = true) {
  const got: string[] = [];
  const waiting: (() => void)[] = [];
  const deliver = (data: string) =>
    new Promise<boolean>((resolve) => {
      got.push(data);
      waiting.push(() => resolve(answer));
    });
  const answerNext = async () => {
    waiting.shift()?.();
    await new Promise((r) => setTimeout(r));
  };
  return { got, deliver, answerNext };
}

describe("TerminalInput", () => {
  it("keeps what is typed before the session opens and delivers it first", async () => {
    const input = new TerminalInput();
    const s = session();
    input.push("echo hi");
    input.push("\r");
    expect(s.got).toEqual([]);
    input.open(s.deliver);
    input.push("ls\r");
    expect(s.got).toEqual(["echo hi\r"]);
    await s.answerNext();
    expect(s.got).toEqual(["echo hi\r", "ls\r"]);
  });

  it("sends one delivery at a time and joins what is typed meanwhile, in order", async () => {
    const input = new TerminalInput();
    const s = session();
    input.open(s.deliver);
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

  it("stops when the session no longer takes input", async () => {
    const input = new TerminalInput();
    const s = session(false);
    input.open(s.deliver);
    input.push("exit\r");
    input.push("more");
    await s.answerNext();
    input.push("after");
    await s.answerNext();
    expect(s.got).toEqual(["exit\r"]);
  });

  it("delivers nothing once closed, even what waited for the session", async () => {
    const input = new TerminalInput();
    const s = session();
    input.push("typed early");
    input.close();
    input.open(s.deliver);
    input.push("late");
    expect(s.got).toEqual([]);
  });
});
