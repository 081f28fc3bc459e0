// The run dialog's form model: what the user typed, turned into the backend's RunSpec. List
// fields are typed one entry per line; problems come back with the line they are on.
import type { Container, Field, FieldProblem, RunSpec } from "../../bindings";
import { lines } from "../shared/forms.svelte";
export { problemsOf } from "../shared/forms.svelte";

/** Why the run dialog opens: empty, for an image, or from a container's settings (to run a
 * snapshot of it alike, or to edit it). */
export interface RunRequest {
  image?: string;
  from?: Container;
  edit?: boolean;
}

export interface RunForm {
  image: string;
  name: string;
  ports: string;
  env: string;
  volumes: string;
  network: string;
  restart: "no" | "always" | "unless-stopped" | "on-failure";
  retries: string;
  command: string;
  entrypoint: string;
  workdir: string;
  user: string;
  autoRemove: boolean;
  interactiveTty: boolean;
  labels: string;
}

/** The fields typed as text, each a field the backend checks. */
export type TextKey = Extract<{ [K in keyof RunForm]: RunForm[K] extends string ? K : never }[keyof RunForm], Field>;

export function emptyForm(image = ""): RunForm {
  return {
    image,
    name: "",
    ports: "",
    env: "",
    volumes: "",
    network: "",
    restart: "no",
    retries: "",
    command: "",
    entrypoint: "",
    workdir: "",
    user: "",
    autoRemove: false,
    interactiveTty: false,
    labels: "",
  };
}

const joined = (l: string[]) => l.filter((x) => x.trim() !== "").join("\n");

/** The form for an existing container's settings (edit, or run its snapshot alike). */
export function fromSpec(s: RunSpec): RunForm {
  const [policy, retries = ""] = s.restart.split(":");
  const restart = (["always", "unless-stopped", "on-failure"] as const).find((p) => p === policy) ?? "no";
  return {
    image: s.image,
    name: s.name,
    ports: joined(s.ports),
    env: joined(s.env),
    volumes: joined(s.volumes),
    network: s.network,
    restart,
    retries,
    command: s.command,
    entrypoint: s.entrypoint,
    workdir: s.workdir,
    user: s.user,
    autoRemove: s.auto_remove,
    interactiveTty: s.interactive_tty,
    labels: joined(s.labels),
  };
}

export function toSpec(f: RunForm): RunSpec {
  const retries = f.retries.trim();
  return {
    image: f.image,
    name: f.name,
    ports: lines(f.ports),
    env: lines(f.env),
    volumes: lines(f.volumes),
    network: f.network,
    restart: f.restart === "on-failure" && retries ? `on-failure:${retries}` : f.restart,
    command: f.command,
    entrypoint: f.entrypoint,
    workdir: f.workdir,
    user: f.user,
    auto_remove: f.autoRemove,
    interactive_tty: f.interactiveTty,
    labels: lines(f.labels),
  };
}


/** Why the Run button is disabled, or null when it is not. */
export function whyDisabled(f: RunForm, problems: FieldProblem[], checking: boolean): string | null {
  if (!f.image.trim()) return "Choose an image to run.";
  if (problems.length === 1) return "Fix the field marked in red.";
  if (problems.length > 1) return `Fix the ${problems.length} problems marked in red.`;
  if (checking) return "Checking…";
  return null;
}

/** The fields under the run dialog's "Advanced": the rest (image, name, ports, env, volumes) is always shown. */
export const ADVANCED: readonly Field[] = ["network", "restart", "command", "entrypoint", "workdir", "user", "labels"];

/** Whether a form sets anything under "Advanced" (so the dialog opens with it showing). */
export function setsAdvanced(f: RunForm): boolean {
  return (
    f.network !== "" ||
    f.restart !== "no" ||
    [f.command, f.entrypoint, f.workdir, f.user, f.labels].some((v) => v.trim() !== "") ||
    f.autoRemove ||
    f.interactiveTty
  );
}
