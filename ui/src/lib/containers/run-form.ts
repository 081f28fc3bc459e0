// The run dialog's form model: what the user typed, turned into the backend's RunSpec. List
// fields are typed one entry per line; problems come back with the line they are on.
import type { FieldProblem, RunSpec } from "../../bindings";

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

/** The fields typed as text. */
export type TextKey = Exclude<{ [K in keyof RunForm]: RunForm[K] extends string ? K : never }[keyof RunForm], "restart">;

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

const lines = (s: string) => s.split("\n");

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

/** The problems of one field, as sentences ("line 2: ..." for list fields). */
export function problemsOf(problems: FieldProblem[], field: string): string[] {
  return problems
    .filter((p) => p.field === field)
    .map((p) => (p.row === null ? p.message : `line ${p.row + 1}: ${p.message}`));
}

/** Why the Run button is disabled, or null when it is not. */
export function whyDisabled(f: RunForm, problems: FieldProblem[], checking: boolean): string | null {
  if (!f.image.trim()) return "Choose an image to run.";
  if (problems.length === 1) return "Fix the field marked in red.";
  if (problems.length > 1) return `Fix the ${problems.length} problems marked in red.`;
  if (checking) return "Checking…";
  return null;
}
