import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { OwnedStream } from "./stream";

let stopped: number[];

beforeEach(() => {
  stopped = [];
  mockIPC((cmd, args) => {
    if (cmd === "stop_stream") stopped.push((args as { id: number }).id);
    return true;
  });
});

afterEach(() => clearMocks());

describe("OwnedStream", () => {
  it("stops the stream it adopted when closed, once", async () => {
    const s = new OwnedStream();
    expect(s.adopt(4)).toBe(true);
    expect(s.id).toBe(4);
    s.close();
    s.close();
    await Promise.resolve();
    expect(stopped).toEqual([4]);
    expect(s.id).toBeNull();
  });

  it("stops a stream whose id arrives after the view closed", async () => {
    const s = new OwnedStream();
    s.close();
    expect(s.adopt(9)).toBe(false);
    await Promise.resolve();
    expect(stopped).toEqual([9]);
    expect(s.id).toBeNull();
  });
});
