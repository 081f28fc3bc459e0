import { afterEach, describe, expect, it } from "vitest";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import type { Channel } from "@tauri-apps/api/core";
import type { ComposeEvent } from "../../bindings";
import { ComposeRun } from "./run.svelte";

afterEach(() => clearMocks());

const target = { files: ["/srv/shop/docker-compose.yml"], project: "shop", working_dir: null };

describe("a compose run", () => {
  it("shows what the program prints and how it ended", async () => {
    let out: Channel<ComposeEvent> | null = null;
    mockIPC((cmd, args) => {
      if (cmd === "run_compose") {
        out = (args as { onOutput: Channel<ComposeEvent> }).onOutput;
        return 4;
      }
    });
    const run = new ComposeRun(target, "Up");
    expect(run.title).toBe("compose up: shop");
    await run.start();
    out!.onmessage({ kind: "Line", data: { text: "Creating shop_web_1 ... done", stderr: true } });
    out!.onmessage({ kind: "Done", data: null });
    expect(run.lines.map((l) => l.text)).toEqual(["Creating shop_web_1 ... done"]);
    expect(run.state).toBe("done");
  });

  it("says when there is no compose program, and stops the program when cancelled", async () => {
    mockIPC((cmd) => {
      if (cmd === "run_compose") throw { code: "ComposeMissing", message: "no compose program is installed" };
    });
    const missing = new ComposeRun(target, "Pull");
    await missing.start();
    expect(missing.state).toBe("failed");
    expect(missing.error?.code).toBe("ComposeMissing");

    const stopped: unknown[] = [];
    mockIPC((cmd, args) => {
      if (cmd === "run_compose") return 9;
      if (cmd === "stop_stream") stopped.push(args);
    });
    const run = new ComposeRun(target, "Up");
    await run.start();
    run.cancel();
    expect(run.state).toBe("cancelled");
    expect(stopped).toEqual([{ id: 9 }]);
  });
});
