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
    for (const [product, version, uri, shown] of [
      ["Docker", "20.10.24", "unix:///var/run/docker.sock", "Docker 20.10.24 (API 1.41) on box"],
      ["Podman", "4.3.1", "unix:///run/podman/podman.sock", "Podman 4.3.1 (API 1.41) on box"],
    ] as const) {
      const engine = { product, name: "box", version, api_version: "1.41", os: "linux", arch: "amd64" };
      expect(summary({ state: "Connected", host: { uri, source: { kind: "Default" } }, engine })).toBe(shown);
    }
    expect(summary({ state: "Unreachable", host: "x", reason: "Lost", message: "gone" })).toContain("gone");
  });
});
