import { describe, expect, it } from "vitest";
import { applyUpdate, patchedFetch, type Update } from "./patched";

type Row = { id: string; state: string };
const key = (r: Row) => r.id;
const row = (id: string, state = "running"): Row => ({ id, state });
const update = (u: Partial<Update<Row>>): Update<Row> => ({ version: 1, whole: null, changed: [], gone: [], ...u });

describe("applyUpdate", () => {
  it("replaces changed rows in place, puts new ones first and drops gone ones", () => {
    const rows = [row("c"), row("b"), row("a")];
    const out = applyUpdate(rows, update({ changed: [row("d", "created"), row("b", "exited")], gone: ["a"] }), key);
    expect(out.map((r) => `${r.id}:${r.state}`)).toEqual(["d:created", "c:running", "b:exited"]);
    expect(out[1]).toBe(rows[0]);
  });

  it("keeps the same list when nothing changed, and takes a whole list's rows", () => {
    const rows = [row("a")];
    expect(applyUpdate(rows, update({}), key)).toBe(rows);
    const whole = [row("x")];
    expect(applyUpdate(rows, update({ whole }), key)).toEqual(whole);
  });

  it("keeps a row that came again unchanged as the same object, in a patch or a whole list", () => {
    const rows = [row("b"), row("a")];
    const patched = applyUpdate(rows, update({ changed: [row("b"), row("a", "exited")] }), key);
    expect(patched[0]).toBe(rows[0]);
    expect(patched[1]).toEqual(row("a", "exited"));
    const whole = applyUpdate(rows, update({ whole: [row("c"), row("b"), row("a", "exited")] }), key);
    expect(whole.map((r) => r.state)).toEqual(["running", "running", "exited"]);
    expect(whole[1]).toBe(rows[0]);
    expect(whole[2]).not.toBe(rows[1]);
    expect(applyUpdate(rows, update({ changed: [row("a")] }), key), "every row listed again as it was").toBe(rows);
  });
});

describe("patchedFetch", () => {
  it("asks for the changes since the version it has, and for everything after forget", async () => {
    const asked: (number | null)[] = [];
    const answers: Update<Row>[] = [
      update({ version: 5, whole: [row("b"), row("a")] }),
      update({ version: 7, changed: [row("a", "exited")] }),
      update({ version: 9, whole: [row("z")] }),
    ];
    const fetch = patchedFetch(async (v) => {
      asked.push(v);
      return { status: "ok" as const, data: answers.shift()! };
    }, key);
    await fetch();
    const second = await fetch();
    expect(second).toEqual({ status: "ok", data: [row("b"), row("a", "exited")] });
    fetch.forget();
    const third = await fetch();
    expect(third).toEqual({ status: "ok", data: [row("z")] });
    expect(asked).toEqual([null, 5, null]);
  });

  it("keeps its version when the backend fails", async () => {
    const asked: (number | null)[] = [];
    let fail = false;
    const fetch = patchedFetch(async (v) => {
      asked.push(v);
      if (fail) return { status: "error" as const, error: { code: "Unreachable", message: "gone" } as never };
      return { status: "ok" as const, data: update({ version: 3, whole: [row("a")] }) };
    }, key);
    await fetch();
    fail = true;
    expect((await fetch()).status).toBe("error");
    fail = false;
    await fetch();
    expect(asked).toEqual([null, 3, 3]);
  });
});
