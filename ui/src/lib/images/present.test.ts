import { describe, expect, it } from "vitest";
import type { Image } from "../../bindings";
import { imageRows } from "./present";

/** An image as the backend sends it: `names` are `repository:tag`, split by the backend. */
const img = (id: string, tags: string[], digests: string[] = [], names = tags): Image => ({
  id: `sha256:${id}`,
  repo_tags: tags,
  repo_digests: digests,
  names: names.map((n) => ({ repository: n.slice(0, n.lastIndexOf(":")), tag: n.slice(n.lastIndexOf(":") + 1) })),
  size: 1,
  created: 1,
  created_local: { short: "Jan 1 1970", full: "1970-01-01 00:00:01" },
  containers: 0,
});

describe("images", () => {
  it("gives every tag a row and names dangling images", () => {
    const rows = imageRows(
      [img("aaa", ["web:2", "web:10"]), img("bbb", []), img("ccc", [], ["reg/app@sha256:x"], ["reg/app:<none>"])],
      "",
    );
    expect(rows.map((r) => `${r.repository}:${r.tag}`)).toEqual(["<none>:<none>", "reg/app:<none>", "web:2", "web:10"]);
  });

  it("filters by repository, tag or id", () => {
    const rows = imageRows([img("0123456789abcdef", ["web:2"]), img("ffff", ["db:1"])], "0123");
    expect(rows.map((r) => r.repository)).toEqual(["web"]);
  });
});
