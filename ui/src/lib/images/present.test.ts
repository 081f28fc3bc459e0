import { describe, expect, it } from "vitest";
import type { Image, Origin } from "../../bindings";
import { chainOf, imageRows, marksOf, treeOf } from "./present";

/** An image as the backend sends it: `names` are `repository:tag`, split by the backend. */
const img = (id: string, tags: string[], over: Partial<Image> = {}, origin: Origin = "registry"): Image => ({
  id: `sha256:${id}`,
  repo_tags: tags,
  repo_digests: [],
  names: tags.map((n) => ({ repository: n.slice(0, n.lastIndexOf(":")), tag: n.slice(n.lastIndexOf(":") + 1), origin })),
  size: 1,
  created: 1,
  created_local: { short: "Jan 1 1970", full: "1970-01-01 00:00:01" },
  used_by: [],
  dangling: tags.length === 0,
  local_only: true,
  parent: null,
  children: [],
  siblings: [],
  ...over,
});

describe("images", () => {
  it("gives every image one row with all its tags, dangling ones last", () => {
    const rows = imageRows([img("aaa", ["web:2", "web:10"]), img("bbb", []), img("ccc", ["api:1"])], "");
    expect(rows.map((r) => r.title)).toEqual(["api:1", "web:2", "<none> bbb"]);
    expect(rows[1].tags).toEqual(["web:2", "web:10"]);
  });

  it("filters by tag, id or user, and by kind", () => {
    const base = img("0123456789abcdef", ["busybox:1"]);
    const child = img("ffff", ["app:1"], { parent: base.id, used_by: ["web-1"] });
    const loose = img("eeee", [], { parent: base.id });
    const all = [base, child, loose];
    expect(imageRows(all, "0123").map((r) => r.title)).toEqual(["busybox:1"]);
    expect(imageRows(all, "web-1").map((r) => r.title)).toEqual(["app:1"]);
    expect(imageRows(all, "", "dangling").map((r) => r.image.id)).toEqual([loose.id]);
    expect(imageRows(all, "", "unused").map((r) => r.image.id)).toEqual([base.id, loose.id]);
    expect(imageRows(all, "", "base").map((r) => r.image.id)).toEqual([base.id]);
  });

  it("marks where an image came from only when it came from a registry", () => {
    const words = (i: Image) => marksOf(i).map((m) => m.text);
    expect(words(img("a", ["python:3"], { local_only: false }, "official"))).toEqual(["official", "base"]);
    expect(words(img("b", ["user/tool:1"], { local_only: false, parent: "x" }, "user"))).toEqual(["Docker Hub"]);
    expect(words(img("c", ["app:1"], { parent: "x" }, "official"))).toEqual(["local"]);
    expect(words(img("d", [], { parent: "x" }))).toEqual(["local", "dangling"]);
  });

  it("traces the chain to the base and the tree of images built on one", () => {
    const base = img("base", ["busybox:1"], { children: ["sha256:child"] });
    const child = img("child", ["child:1"], { parent: base.id, children: ["sha256:g2", "sha256:g1"] });
    const g1 = img("g1", ["g:1"], { parent: child.id });
    const g2 = img("g2", ["g:2"], { parent: child.id });
    const byId = new Map([base, child, g1, g2].map((i) => [i.id, i]));
    expect(chainOf(g1, byId).map((i) => i.id)).toEqual([g1.id, child.id, base.id]);
    const tree = treeOf(base, byId);
    expect(tree.children[0].image.id).toBe(child.id);
    expect(tree.children[0].children.map((t) => t.image.id)).toEqual([g1.id, g2.id]);
  });
});
