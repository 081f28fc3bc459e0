// Pure presentation of images: one row per image with all its tags, what kind of image it is,
// and its place among the others (the chain down to its base, the images built on it).
import type { Image } from "../../bindings";
import { matchesQuery, shortId, sortNaturally } from "../shared/format";

export type ImageShow = "all" | "dangling" | "unused" | "base";

export interface ImageRow {
  key: string;
  /** The first tag as `repository:tag`, or `<none>` with the short id. */
  title: string;
  /** Every tag, `repository:tag`. */
  tags: string[];
  marks: Mark[];
  image: Image;
}

/** A word the list shows beside an image's name, and what it means. */
export type Mark = { text: string; means: string };

/** The reference that names an image best: its first tag, else its id. */
export function refOf(image: Image): string {
  const n = image.names.find((n) => n.tag !== "<none>");
  return n ? `${n.repository}:${n.tag}` : image.id;
}

export function titleOf(image: Image): string {
  const n = image.names.find((n) => n.tag !== "<none>");
  return n ? `${n.repository}:${n.tag}` : `<none> ${shortId(image.id)}`;
}

export function marksOf(image: Image): Mark[] {
  const marks: Mark[] = [];
  // Where it came from means something only for an image that came from a registry.
  const origin = image.local_only ? null : image.names[0]?.origin;
  if (origin === "official") marks.push({ text: "official", means: "a Docker Hub official image (docker.io/library)" });
  if (origin === "user") marks.push({ text: "Docker Hub", means: "a Docker Hub user's or organisation's image" });
  if (origin === "registry") marks.push({ text: "registry", means: "from another registry" });
  if (image.local_only) marks.push({ text: "local", means: "built, committed or loaded here: never pulled or pushed" });
  if (!image.parent) marks.push({ text: "base", means: "no local image it is built on" });
  if (image.dangling) marks.push({ text: "dangling", means: "no tag: a prune removes it" });
  return marks;
}

export function imageRows(images: Image[], query: string, show: ImageShow = "all"): ImageRow[] {
  const shown = images.filter((i) => {
    if (show === "dangling" && !i.dangling) return false;
    if (show === "unused" && i.used_by.length > 0) return false;
    if (show === "base" && i.parent) return false;
    return matchesQuery(query, ...i.names.map((n) => `${n.repository}:${n.tag}`), i.id.slice(7, 19), ...i.used_by);
  });
  const rows = shown.map((image) => ({
    key: image.id,
    title: titleOf(image),
    tags: image.names.filter((n) => n.tag !== "<none>").map((n) => `${n.repository}:${n.tag}`),
    marks: marksOf(image),
    image,
  }));
  return sortNaturally(rows, (r) => (r.image.dangling ? `~${r.title}` : r.title));
}

/** `image` and the images it is built on, down to its base: `image` first. */
export function chainOf(image: Image, byId: Map<string, Image>): Image[] {
  const out = [image];
  let at = image;
  while (at.parent && byId.has(at.parent) && !out.includes(byId.get(at.parent)!)) {
    at = byId.get(at.parent)!;
    out.push(at);
  }
  return out;
}

/** The images built on `image`, each with those built on it. */
export type Tree = { image: Image; children: Tree[] };
export function treeOf(image: Image, byId: Map<string, Image>, seen = new Set<string>()): Tree {
  seen.add(image.id);
  const children = image.children
    .map((id) => byId.get(id))
    .filter((c): c is Image => !!c && !seen.has(c.id))
    .map((c) => treeOf(c, byId, seen));
  return { image, children: sortNaturally(children, (t) => titleOf(t.image)) };
}
