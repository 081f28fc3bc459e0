// Pure presentation of images: one row per tag, as `docker images` prints them.
import type { Image } from "../../bindings";
import { matchesQuery, sortNaturally } from "../shared/format";

export interface ImageRow {
  key: string;
  repository: string;
  tag: string;
  image: Image;
}

export function imageRows(images: Image[], query: string): ImageRow[] {
  const rows: ImageRow[] = [];
  for (const image of images) {
    // The backend names each tag (repository and tag split); a dangling image has none.
    if (image.names.length === 0) rows.push({ key: image.id, repository: "<none>", tag: "<none>", image });
    for (const [i, n] of image.names.entries()) {
      rows.push({ key: `${image.id}|${i}`, repository: n.repository, tag: n.tag, image });
    }
  }
  const shown = rows.filter((r) => matchesQuery(query, r.repository, r.tag, r.image.id.slice(7, 19)));
  return sortNaturally(shown, (r) => r.repository, (r) => r.tag);
}
