import { describe, expect, it } from "vitest";
import { oneSlip, suggest, targets } from "./palette";
import { container } from "../../test-fixtures";
import type { EngineEntry, Image, Network, Project, Volume } from "../../bindings";

const web = container(0, { id: "w1", name: "web", state: "running" });
const webdb = container(1, { id: "w2", name: "web-db", state: "exited" });
const api = container(2, { id: "a1", name: "api", state: "running" });
const image = { id: "sha256:1", repo_tags: ["busybox:latest", "<none>:<none>"], repo_digests: [], size: 1, created: 1, containers: 0, parent: null } as unknown as Image;
const net = { id: "n1", name: "webnet", driver: "bridge", scope: "local", subnets: [], containers: 0, project: null } as unknown as Network;
const vol = { name: "webdata", driver: "local", mountpoint: "/", used_by: [], anonymous: false, project: null } as unknown as Volume;
const anon = { ...vol, name: "f".repeat(64), anonymous: true } as Volume;
const all = targets({ containers: [web, webdb, api], images: [image], networks: [net], volumes: [vol, anon] });

const labels = (q: string, recent: string[] = []) => suggest(q, all, recent).map((e) => e.label);

describe("palette", () => {
  it("switches engines by name, never to the one shown", () => {
    const entry = (label: string, active: boolean): EngineEntry => ({
      target: label === "docker" ? { kind: "Cli" } : { kind: "Context", name: label },
      label,
      host: label === "docker" ? "unix:///var/run/docker.sock" : "tcp://127.0.0.1:2376",
      status: { state: "Unreachable", host: "", reason: "Refused", message: "down" },
      active,
    });
    const all = targets({ containers: [], images: [], networks: [], volumes: [], engines: [entry("docker", true), entry("build-box", false)] });
    const found = suggest("engine build", all);
    expect(found.map((e) => e.label)).toEqual(["Switch to engine build-box"]);
    expect(found[0].hint).toBe("tcp://127.0.0.1:2376, unreachable");
    expect(found[0].command).toEqual({ do: "engine", target: { kind: "Context", name: "build-box" }, label: "build-box" });
    expect(suggest("engine docker", all)).toEqual([]);
    expect(suggest("build-box", all).map((e) => e.label)).toEqual(["Switch to engine build-box"]);
  });

  it("finds any object by name, grouped by kind, the best match's group first", () => {
    expect(labels("web")).toEqual(["web", "web-db", "webnet", "webdata"]);
    expect(suggest("web", all).map((e) => e.group)).toEqual(["Containers", "Containers", "Networks", "Volumes"]);
    expect(labels("busy")).toEqual(["busybox:latest"]);
    expect(labels("wdb")).toEqual(["web-db"]);
    expect(labels("").length).toBe(6);
  });

  it("reads a verb and offers it only where it applies", () => {
    expect(labels("stop web")).toEqual(["Stop web"]);
    expect(labels("start web")).toEqual(["Start web-db"]);
    expect(labels("logs")).toEqual(["Logs of api", "Logs of web", "Logs of web-db"]);
    expect(labels("open terminal a")).toEqual(["Open a terminal in api"]);
    expect(labels("run busybox")).toEqual(["Run busybox:latest"]);
    const [stop] = suggest("stop web", all);
    expect(stop.command).toEqual({ do: "action", action: "Stop", container: web });
  });

  it("finds views and commands, not only objects", () => {
    expect(labels("settings")).toEqual(["Go to Settings"]);
    expect(suggest("settings", all)[0]).toMatchObject({ group: "Views", command: { do: "view", view: "settings" } });
    expect(labels("theme")).toEqual(["Theme: Light", "Theme: Dark", "Theme: System"]);
    expect(suggest("dark mode", all)[0].command).toEqual({ do: "theme", theme: "Dark" });
    expect(labels("run")[0]).toBe("Run a container…");
    expect(labels("prune")).toEqual(expect.arrayContaining(["Clean up disk space…", "Prune dangling images…", "Prune unused networks…", "Prune anonymous volumes…"]));
    expect(labels("ima")).toContain("Go to Images");
  });

  it("reads a verb typed with one slip", () => {
    expect(labels("restrat api")).toEqual(["Restart api"]);
    expect(labels("stpo web")).toEqual(["Stop web"]);
    expect(oneSlip("restrat", "restart")).toBe(true);
    expect(oneSlip("rstart", "restart")).toBe(true);
    expect(oneSlip("restarts", "restart")).toBe(true);
    expect(oneSlip("retsrat", "restart")).toBe(false);
    // A lone word is a name, not a verb with a slip.
    expect(labels("stpo")).toEqual([]);
  });

  it("pulls what was typed, or an image it has again", () => {
    expect(labels("pull 127.0.0.1:5000/team/App:V2")).toEqual(["Pull 127.0.0.1:5000/team/App:V2"]);
    const typed = suggest("pull  127.0.0.1:5000/app", all)[0];
    expect(typed.command).toEqual({ do: "pull", reference: "127.0.0.1:5000/app" });
    // An image the engine has is offered once, not twice.
    expect(labels("pull busybox:latest")).toEqual(["Pull busybox:latest"]);
    expect(labels("pull busy")).toEqual(["Pull busy", "Pull busybox:latest"]);
    expect(labels("pull")).toEqual(["Pull busybox:latest"]);
    expect(labels("pull two words")).toEqual([]);
  });

  it("puts recently used entries first among equals", () => {
    expect(labels("logs", ["logs:w2"])).toEqual(["Logs of web-db", "Logs of api", "Logs of web"]);
    expect(labels("web", ["vol:webdata"])[0]).toBe("web");
  });

  it("offers the compose and network commands, and projects as targets", () => {
    const shop = { name: "shop", running: 1, members: [{}, {}] } as unknown as Project;
    const withProjects = targets({ containers: [web], images: [], networks: [net], volumes: [], projects: [shop] });
    const find = (q: string) => suggest(q, withProjects);
    expect(find("create net")[0]).toMatchObject({ label: "Create a network…", command: { do: "request", request: { view: "networks", do: "create" } } });
    expect(find("prune networks")[0].command).toEqual({ do: "request", request: { view: "networks", do: "prune" } });
    expect(find("prune images")[0].command).toEqual({ do: "request", request: { view: "images", do: "prune" } });
    expect(find("search python")[0].command).toEqual({ do: "request", request: { view: "images", do: "search", term: "python" } });
    expect(find("build /home/me/app")[0].command).toEqual({ do: "request", request: { view: "images", do: "build", dir: "/home/me/app" } });
    expect(find("push 127.0.0.1:5001/team/App:1")[0].command).toEqual({ do: "push", reference: "127.0.0.1:5001/team/App:1" });
    expect(find("down shop").map((e) => e.label)).toEqual(["Down shop"]);
    expect(find("down shop")[0].command).toEqual({ do: "request", request: { view: "projects", do: "down", project: "shop" } });
    expect(find("up /srv/shop/docker-compose.yml")[0].command).toEqual({
      do: "request",
      request: { view: "projects", do: "up", file: "/srv/shop/docker-compose.yml" },
    });
    expect(find("map webnet")[0].command).toEqual({ do: "map", focus: { kind: "network", name: "webnet" } });
    expect(find("shop")[0]).toMatchObject({ label: "shop", hint: "compose project, 1 of 2 running" });
  });
});
