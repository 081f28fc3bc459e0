import { describe, expect, it } from "vitest";
import type { UnreachableReason } from "../../bindings";
import { explain, summary } from "./explain";

describe("explain", () => {
  it("has advice for every reason", () => {
    const reasons: UnreachableReason[] = ["SocketMissing", "PermissionDenied", "Refused", "Timeout", "Lost", "InvalidHost", "ContextNotFound"];
    for (const r of reasons) {
      const e = explain(r, "unix:///var/run/docker.sock");
      expect(e.title.length).toBeGreaterThan(0);
      expect(e.steps.length).toBeGreaterThan(0);
    }
  });

  it("names the socket and says how to start the engine when it is missing", () => {
    const e = explain("SocketMissing", "unix:///tmp/nope.sock");
    expect(e.steps.join(" ")).toContain("unix:///tmp/nope.sock");
    expect(e.steps.join(" ")).toContain("dockerd");
  });

  it("summarizes each state in one line", () => {
    expect(summary({ state: "Connecting", host: "" })).toMatch(/Connecting/);
    expect(
      summary({
        state: "Connected",
        host: { uri: "unix:///var/run/docker.sock", source: { kind: "Default" } },
        engine: { product: "Docker", name: "box", version: "20.10.24", api_version: "1.41", os: "linux", arch: "amd64" },
      }),
    ).toBe("Docker 20.10.24 (API 1.41) on box");
    expect(
      summary({
        state: "Connected",
        host: { uri: "unix:///run/podman/podman.sock", source: { kind: "DockerHost" } },
        engine: { product: "Podman", name: "box", version: "4.3.1", api_version: "1.41", os: "linux", arch: "amd64" },
      }),
    ).toBe("Podman 4.3.1 (API 1.41) on box");
    expect(summary({ state: "Unreachable", host: "x", reason: "Lost", message: "gone" })).toContain("gone");
  });
});
