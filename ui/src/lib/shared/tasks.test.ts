import { expect, it } from "vitest";
import { nextTask } from "./tasks";

it("nextTask resolves after the work already queued, in a task of its own", async () => {
  const order: string[] = [];
  void Promise.resolve().then(() => order.push("microtask"));
  const done = nextTask().then(() => order.push("next task"));
  order.push("now");
  await done;
  expect(order).toEqual(["now", "microtask", "next task"]);
});
