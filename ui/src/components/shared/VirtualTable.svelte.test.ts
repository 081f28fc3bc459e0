import { afterEach, describe, expect, it } from "vitest";
import { cleanup, render, screen } from "@testing-library/svelte";
import { createRawSnippet, tick } from "svelte";
import VirtualTable from "./VirtualTable.svelte";

type Item = { id: string; name: string };
const item = (name: string): Item => ({ id: `id-${name}`, name });

const header = createRawSnippet(() => ({ render: () => `<span role="columnheader">Name</span>` }));
const row = createRawSnippet((of: () => Item, index: () => number, tabindex: () => number) => ({
  render: () => `<div role="row" class="grid-row"><span role="cell"></span></div>`,
  setup: (el) => {
    $effect(() => {
      el.setAttribute("aria-rowindex", String(index()));
      el.setAttribute("aria-label", of().name);
      el.setAttribute("tabindex", String(tabindex()));
      el.firstElementChild!.textContent = of().name;
    });
  },
}));

function table(items: Item[]) {
  const props = { label: "Things", items, key: (i: Item) => i.id, columns: "1fr", header, row };
  return render(VirtualTable<Item>, { props });
}

afterEach(cleanup);

describe("VirtualTable", () => {
  it("shows new items in the rows already drawn", async () => {
    const { rerender } = table([item("a"), item("b"), item("c")]);
    const first = screen.getByRole("row", { name: "a" });
    await rerender({ items: [item("c"), item("a")] });
    expect(screen.getByRole("row", { name: "c" })).toBe(first);
    expect(screen.getByRole("row", { name: "a" })).toHaveAttribute("aria-rowindex", "3");
    expect(screen.queryByRole("row", { name: "b" })).toBeNull();
  });

  it("moves the focus with its item, and lets it go when the item leaves", async () => {
    const { rerender } = table([item("a"), item("b"), item("c")]);
    screen.getByRole("row", { name: "b" }).focus();
    await rerender({ items: [item("x"), item("a"), item("b"), item("c")] });
    await tick();
    expect(document.activeElement).toBe(screen.getByRole("row", { name: "b" }));
    expect(document.activeElement).toHaveAttribute("aria-rowindex", "4");
    expect(document.activeElement).toHaveAttribute("tabindex", "0");

    await rerender({ items: [item("x"), item("a"), item("c")] });
    await tick();
    expect(document.activeElement).toBe(document.body);
  });

  it("leaves the focus where it is when its item stays in place", async () => {
    const { rerender } = table([item("a"), item("b")]);
    const b = screen.getByRole("row", { name: "b" });
    b.focus();
    await rerender({ items: [item("a"), { ...item("b"), name: "b" }, item("c")] });
    await tick();
    expect(document.activeElement).toBe(b);
  });
});
