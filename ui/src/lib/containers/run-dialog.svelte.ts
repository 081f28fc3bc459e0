// The run dialog's state and decisions: the form, the backend's check of it as it is typed
// (only the answer to the latest form counts), an edit's preview, applying it, and where the
// engine's refusal belongs: a taken host port marks Ports, a name in use marks Name, a missing
// image marks Image (and the dialog offers to pull it).
import {
  commands,
  type EngineError,
  type Field,
  type FieldProblem,
  type RecreatePreview,
} from "../../bindings";
import { toSpec, whyDisabled, type RunForm } from "./run-form";

export type Editing = { id: string; name: string };

export class RunDialogModel {
  form: RunForm = $state() as RunForm;
  problems = $state<FieldProblem[]>([]);
  command = $state("");
  checking = $state(false);
  running = $state(false);
  failure = $state<EngineError | null>(null);
  /** An edit's preview: what changes, what it keeps that the dialog cannot show. */
  preview = $state<RecreatePreview | null>(null);
  previewError = $state<string | null>(null);
  /** For a --rm container: commit it to an image before it goes. */
  snapshotFirst = $state(true);

  #checks = 0;
  #previews = 0;

  constructor(
    start: RunForm,
    readonly editing: Editing | null = null,
  ) {
    this.form = start;
  }

  /** Check the form as it is now (the parsers, and the `docker run` line). */
  check(): void {
    const mine = ++this.#checks;
    this.checking = true;
    void commands.checkRun(toSpec(this.form)).then((check) => {
      if (mine !== this.#checks) return;
      this.problems = check.problems;
      this.command = check.command;
      this.checking = false;
    });
  }

  /** Preview the edit as it is now. */
  previewEdit(): void {
    if (!this.editing) return;
    const mine = ++this.#previews;
    void commands.previewRecreate(this.editing.id, toSpec(this.form)).then((res) => {
      if (mine !== this.#previews) return;
      if (res.status === "ok") this.preview = res.data;
      this.previewError = res.status === "ok" ? null : res.error.message;
    });
  }

  /** Why applying is not possible yet, or null. */
  get why(): string | null {
    const blocked = whyDisabled(this.form, this.problems, this.checking);
    if (blocked) return blocked;
    if (this.editing && (this.preview?.changes.length ?? 0) === 0) return "Nothing has changed yet.";
    return null;
  }

  /** The field the engine's last refusal is about, if it names one. */
  get refused(): Field | null {
    switch (this.failure?.code) {
      case "PortInUse":
        return "ports";
      case "ImageMissing":
        return "image";
      case "Conflict":
        return this.editing ? null : "name";
      default:
        return null;
    }
  }

  /** Every problem to show beside its field: the parsers', and the engine's refusal. */
  get shown(): FieldProblem[] {
    const field = this.refused;
    return field && this.failure ? [...this.problems, { field, row: null, message: this.failure.message }] : this.problems;
  }

  /** Run it (or apply the edit); the new container's id and any warning, or null on failure. */
  async apply(): Promise<{ id: string; warning: string | null } | null> {
    if (this.why || this.running) return null;
    this.running = true;
    this.failure = null;
    try {
      if (this.editing) {
        const snapshot = this.preview?.removed_on_stop && this.snapshotFirst ? this.preview.snapshot : null;
        const res = await commands.recreateContainer(this.editing.id, toSpec(this.form), { snapshot });
        if (res.status === "ok") return { id: res.data.id, warning: res.data.warning };
        this.failure = res.error;
        return null;
      }
      const res = await commands.runContainer(toSpec(this.form));
      if (res.status === "ok") return { id: res.data, warning: null };
      this.failure = res.error;
      return null;
    } finally {
      this.running = false;
    }
  }

  /** Add exact `KEY=value` rows (read from a .env file) after the ones typed. */
  addEnv(rows: string[]): void {
    const typed = this.form.env.split("\n").filter((r) => r.trim() !== "");
    this.form.env = [...typed, ...rows].join("\n");
  }
}
