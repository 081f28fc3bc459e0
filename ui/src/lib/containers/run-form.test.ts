import { describe, expect, it } from "vitest";
import type { RunSpec } from "../../bindings";
import { emptyForm, fromSpec, setsAdvanced, toSpec } from "./run-form";

const SPEC: RunSpec = {
  image: "shop/web:1",
  name: "web",
  ports: ["127.0.0.1:8080:80"],
  env: ["MODE=old", "KEEP=1"],
  volumes: ["data:/data"],
  network: "shop",
  restart: "on-failure:3",
  command: "httpd -f",
  entrypoint: "",
  workdir: "",
  user: "",
  auto_remove: false,
  interactive_tty: false,
  labels: [],
};

describe("run form", () => {
  it("reads a container's settings back into the form and out again unchanged", () => {
    const form = fromSpec(SPEC);
    expect(form.restart).toBe("on-failure");
    expect(form.retries).toBe("3");
    expect(form.env).toBe("MODE=old\nKEEP=1");
    const back = toSpec(form);
    expect({ ...back, labels: [] }).toEqual(SPEC);
    expect(back.labels).toEqual([""]);
  });
});

describe("setsAdvanced", () => {
  it("is false for the basics alone, true once anything under Advanced is set", () => {
    expect(setsAdvanced({ ...emptyForm("busybox"), name: "web", ports: "8080:80", env: "A=1", volumes: "d:/d" })).toBe(false);
    expect(setsAdvanced({ ...emptyForm(), command: "sleep 1" })).toBe(true);
    expect(setsAdvanced({ ...emptyForm(), restart: "always" })).toBe(true);
    expect(setsAdvanced({ ...emptyForm(), autoRemove: true })).toBe(true);
    expect(setsAdvanced({ ...emptyForm(), user: "  " })).toBe(false);
  });
});
