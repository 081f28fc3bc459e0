// What a clean-up can remove, as the dialog offers it, and how a plan reads for people.
import type { CleanupKind, CleanupPlan, CleanupReport } from "../../bindings";
import { formatBytes } from "../shared/format";

export const KINDS: { kind: CleanupKind; label: string; checked: boolean }[] = [
  { kind: "StoppedContainers", label: "Stopped containers", checked: true },
  { kind: "DanglingImages", label: "Dangling images (untagged, unused)", checked: true },
  { kind: "UnusedImages", label: "All unused images", checked: false },
  { kind: "UnusedNetworks", label: "Unused networks", checked: true },
  { kind: "AnonymousVolumes", label: "Anonymous volumes no container uses", checked: false },
  { kind: "BuildCache", label: "Build cache not in use", checked: true },
];

/** How many things a plan removes (the build cache counting as one). */
export function planCount(p: CleanupPlan): number {
  return p.containers.length + p.images.length + p.networks.length + p.volumes.length + (p.build_cache > 0 ? 1 : 0);
}

/** The confirm button's words: what goes and what it frees. */
export function planSummary(p: CleanupPlan): string {
  const n = planCount(p);
  return n === 0 ? "Nothing to remove" : `Remove ${n} item${n === 1 ? "" : "s"}, free about ${formatBytes(p.frees)}`;
}

/** What a clean-up did, in one sentence, failures named. */
export function describeReport(r: CleanupReport): string {
  const failed = r.removals.filter((x) => x.error);
  const done = r.removals.length - failed.length;
  const head = `Removed ${done} item${done === 1 ? "" : "s"} and freed ${formatBytes(r.freed)}.`;
  return failed.length ? `${head} Not removed: ${failed.map((f) => `${f.name} (${f.error?.message})`).join("; ")}.` : head;
}
