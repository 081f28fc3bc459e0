// Pure presentation of images: one row per tag, as `docker images` prints them.
import type { Image } from "../../bindings";
import { matchesQuery, sortNaturally } from "../shared/format";

export interface ImageRow {
  key: string;
  repository: string;
  tag: string;
  image: Image;
}

/** Split "host:5000/team/app:1.2" into repository and tag at the last colon after the last slash. */
export function splitReference(ref: string): { repository: string; tag: string } {
  const slash = ref.lastIndexOf("/");
  const colon = ref.lastIndexOf(":");
  if (colon > slash) return { repository: ref.slice(0, colon), tag: ref.slice(colon + 1) };
  return { repository: ref, tag: "<none>" };
}

export function imageRows(images: Image[], query: string): ImageRow[] {
  const rows: ImageRow[] = [];
  for (const image of images) {
    if (image.repo_tags.length === 0) {
      // Dangling: named by digest when it has one, like the CLI.
      const digest = image.repo_digests[0];
      const repository = digest ? digest.slice(0, digest.indexOf("@")) : "<none>";
      rows.push({ key: image.id, repository, tag: "<none>", image });
    } else {
      for (const ref of image.repo_tags) {
        rows.push({ key: `${image.id}|${ref}`, ...splitReference(ref), image });
      }
    }
  }
  const shown = rows.filter((r) => matchesQuery(query, r.repository, r.tag, r.image.id.slice(7, 19)));
  return sortNaturally(shown, (r) => r.repository, (r) => r.tag);
}
