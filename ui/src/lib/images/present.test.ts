import { describe, expect, it } from "vitest";
import type { Image } from "../../bindings";
import { imageRows, splitReference } from "./present";

const img = (id: string, tags: string[], digests: string[] = []): Image => ({
  id: `sha256:${id}`,
  repo_tags: tags,
  repo_digests: digests,
  size: 1,
  created: 1,
  created_local: { short: "Jan 1 1970", full: "1970-01-01 00:00:01" },
  containers: 0,
});

describe("images", () => {
  it("splits references at the tag colon, not the registry port", () => {
    expect(splitReference("127.0.0.1:5000/team/app:1.2")).toEqual({ repository: "127.0.0.1:5000/team/app", tag: "1.2" });
    expect(splitReference("127.0.0.1:5000/team/app")).toEqual({ repository: "127.0.0.1:5000/team/app", tag: "<none>" });
    expect(splitReference("busybox:latest")).toEqual({ repository: "busybox", tag: "latest" });
  });

  it("gives every tag a row and names dangling images", () => {
    const rows = imageRows(
      [img("aaa", ["web:2", "web:10"]), img("bbb", []), img("ccc", [], ["reg/app@sha256:x"])],
      "",
    );
    expect(rows.map((r) => `${r.repository}:${r.tag}`)).toEqual(["<none>:<none>", "reg/app:<none>", "web:2", "web:10"]);
  });

  it("filters by repository, tag or id", () => {
    const rows = imageRows([img("0123456789abcdef", ["web:2"]), img("ffff", ["db:1"])], "0123");
    expect(rows.map((r) => r.repository)).toEqual(["web"]);
  });
});
