import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import type { CommitSpec, FieldProblem, FsChange } from "../../bindings";
import CommitDialog from "./CommitDialog.svelte";
import { container } from "../../test-fixtures";

const BOX = container(0, { id: "c0ffee", name: "box", status: "Up" });

let commits: { id: string; spec: CommitSpec }[];

beforeEach(() => {
  commits = [];
  mockIPC((cmd, args) => {
    const a = args as { id: string; spec: CommitSpec };
    if (cmd === "container_changes") {
      const changes: FsChange[] = [
        { path: "/etc", kind: "Changed" },
        { path: "/etc/motd", kind: "Added" },
        { path: "/bin/true", kind: "Deleted" },
      ];
      return changes;
    }
    if (cmd === "check_commit") {
      const problems: FieldProblem[] = /[A-Z ]/.test(a.spec.reference)
        ? [{ field: "reference", row: null, message: "lowercase letters and digits" }]
        : [];
      return problems;
    }
    if (cmd === "commit_container") {
      commits.push(a);
      // The backend names the image as committed, tag and all.
      return { id: "sha256:new", reference: "box_snapshot:latest" };
    }
    return null;
  });
});

afterEach(() => {
  cleanup();
  clearMocks();
});

describe("CommitDialog", () => {
  it("shows what changed, filters it, and commits under a checked name", async () => {
    const onrun = vi.fn();
    render(CommitDialog, { container: BOX, onclose: () => {}, onrun });
    const list = await screen.findByRole("list", { name: "Changed paths" });
    expect(within(list).getAllByRole("listitem")).toHaveLength(3);
    await fireEvent.input(screen.getByRole("searchbox", { name: "Filter changed paths" }), { target: { value: "motd" } });
    await waitFor(() => expect(within(list).getAllByRole("listitem").map((li) => li.getAttribute("aria-label"))).toEqual(["Added /etc/motd"]));

    const name = screen.getByRole("textbox", { name: "Repository:tag" });
    await fireEvent.input(name, { target: { value: "Box Snap" } });
    await screen.findByText("lowercase letters and digits");
    expect(screen.getByRole("button", { name: "Commit" })).toBeDisabled();
    await fireEvent.input(name, { target: { value: "box_snapshot" } });
    await waitFor(() => expect(screen.getByRole("button", { name: "Commit" })).toBeEnabled());
    await fireEvent.click(screen.getByRole("button", { name: "Commit" }));
    expect(await screen.findByRole("status")).toHaveTextContent("Committed box_snapshot:latest");
    expect(commits[0].id).toBe("c0ffee");
    await fireEvent.click(screen.getByRole("button", { name: "Run this image" }));
    expect(onrun).toHaveBeenCalledWith("box_snapshot:latest");
  });
});
