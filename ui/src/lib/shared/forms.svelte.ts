// What every checked dialog shares: rows typed one per line become a list, and the backend's
// problems are shown beside the field they name (with the line, for list fields).
import type { Field, FieldProblem } from "../../bindings";

/** One row per line, exactly as typed: the backend skips empty rows but counts them, so a
 * problem's row is the line the user sees. */
export function lines(text: string): string[] {
  return text.split("\n");
}

/** The problems about `field`, as the dialog shows them beside it. */
export function problemsOf(problems: FieldProblem[], field: Field): string[] {
  return problems
    .filter((p) => p.field === field)
    .map((p) => (p.row === null ? p.message : `line ${p.row + 1}: ${p.message}`));
}

/** Asks the backend to check a form as it is typed; only the answer to the latest ask counts. */
export class LatestCheck<S, R> {
  answer = $state<R | null>(null);
  checking = $state(false);
  #asks = 0;

  constructor(private checker: (spec: S) => Promise<R>) {}

  check(spec: S): void {
    const mine = ++this.#asks;
    this.checking = true;
    void this.checker(spec).then((r) => {
      if (mine !== this.#asks) return;
      this.answer = r;
      this.checking = false;
    });
  }
}
