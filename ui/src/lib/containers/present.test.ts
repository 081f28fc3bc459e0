import { describe, expect, it } from "vitest";
import type { Container } from "../../bindings";
import { columnsFor, openablePorts, tracksOf, failingCount, filterContainers, formatPorts, groupRows, orderContainers, prepareSearch, presentRows, stateBadge, stateTone } from "./present";
import { container as fixture } from "../../test-fixtures";

/** A container for these tests: named as asked, its id from its name. */
const container = (over: Partial<Container>): Container =>
  fixture(0, { id: over.name ? `${over.name}-id-0000000000` : "id", name: "c", ...over });

describe("formatPorts", () => {
  it("merges the IPv4 and IPv6 wildcard entries and keeps explicit addresses", () => {
    expect(
      formatPorts([
        { ip: "0.0.0.0", private_port: 80, public_port: 8080, protocol: "tcp" },
        { ip: "::", private_port: 80, public_port: 8080, protocol: "tcp" },
        { ip: "127.0.0.1", private_port: 53, public_port: 5353, protocol: "udp" },
        { ip: "::1", private_port: 22, public_port: 2222, protocol: "tcp" },
        { ip: null, private_port: 443, public_port: null, protocol: "tcp" },
      ]),
    ).toEqual(["[::1]:2222->22/tcp", "127.0.0.1:5353->53/udp", "8080->80/tcp", "443/tcp"]);
  });

  it("opens each published TCP port once (IPv4 and IPv6 bindings are one)", () => {
    expect(
      openablePorts([
        { ip: "0.0.0.0", private_port: 80, public_port: 8080, protocol: "tcp" },
        { ip: "::", private_port: 80, public_port: 8080, protocol: "tcp" },
        { ip: "127.0.0.1", private_port: 53, public_port: 5353, protocol: "udp" },
        { ip: "127.0.0.1", private_port: 22, public_port: 2222, protocol: "tcp" },
        { ip: null, private_port: 443, public_port: null, protocol: "tcp" },
      ]),
    ).toEqual([2222, 8080]);
  });

  it("is empty for no ports", () => {
    expect(formatPorts([])).toEqual([]);
  });
});

describe("states and filters", () => {
  it("gives states a tone", () => {
    expect(stateTone("running")).toBe("ok");
    expect(stateTone("paused")).toBe("warn");
    expect(stateTone("exited")).toBe("idle");
    expect(stateTone("dead")).toBe("bad");
  });

  it("shows exit codes and health as badges: red for failures, amber for pending, muted for clean exits", () => {
    const badge = (over: Partial<Container>) => stateBadge(container(over));
    expect(badge({ state: "exited", exit_code: 1 })).toEqual({ label: "exited 1", tone: "bad" });
    expect(badge({ state: "exited", exit_code: 137 })).toEqual({ label: "exited 137", tone: "bad" });
    expect(badge({ state: "exited", exit_code: 0 })).toEqual({ label: "exited 0", tone: "idle" });
    expect(badge({ state: "exited", exit_code: 143 }).tone).toBe("idle");
    expect(badge({ state: "running", health: "unhealthy" })).toEqual({ label: "unhealthy", tone: "bad" });
    expect(badge({ state: "running", health: "starting" })).toEqual({ label: "starting", tone: "warn" });
    expect(badge({ state: "running", health: "healthy" })).toEqual({ label: "healthy", tone: "ok" });
    expect(badge({ state: "running", health: null })).toEqual({ label: "running", tone: "ok" });
    expect(badge({ state: "restarting" }).tone).toBe("warn");
    expect(badge({ state: "created" })).toEqual({ label: "created", tone: "idle" });
    const list = [
      container({ name: "a", state: "exited", exit_code: 2 }),
      container({ name: "b", state: "running", health: "unhealthy" }),
      container({ name: "c", state: "exited", exit_code: 0 }),
    ];
    expect(failingCount(list)).toBe(2);
  });

  it("filters by running and by text", () => {
    const list = [
      container({ name: "web", state: "running", image: "nginx" }),
      container({ name: "db", state: "exited", image: "postgres" }),
      container({ name: "cache", state: "paused", image: "redis", project: "shop" }),
    ];
    expect(filterContainers(list, "running", "").map((c) => c.name)).toEqual(["web", "cache"]);
    expect(filterContainers(list, "all", "post").map((c) => c.name)).toEqual(["db"]);
    expect(filterContainers(list, "all", "shop").map((c) => c.name)).toEqual(["cache"]);
  });
});

describe("groupRows", () => {
  const list = [
    container({ name: "zeta" }),
    container({ name: "shop-web-1", project: "shop", service: "web" }),
    container({ name: "alpha", state: "exited" }),
    container({ name: "shop-db-1", project: "shop", service: "db", state: "exited" }),
  ];

  it("places each project under one header where its name sorts", () => {
    const rows = groupRows(list, new Set());
    expect(rows.map((r) => (r.kind === "project" ? `[${r.project} ${r.running}/${r.total}]` : r.container.name))).toEqual(
      ["alpha", "[shop 1/2]", "shop-db-1", "shop-web-1", "zeta"],
    );
    expect(rows.filter((r) => r.kind === "container" && r.grouped).length).toBe(2);
  });

  it("leaves out the members of a collapsed project", () => {
    const rows = groupRows(list, new Set(["shop"]));
    expect(rows.map((r) => r.key)).toEqual(["alpha-id-0000000000", "project:shop", "zeta-id-0000000000"]);
    expect(rows[1]).toMatchObject({ kind: "project", expanded: false, total: 2 });
  });

  it("filters an ordered list without reordering it; a header counts its shown members", () => {
    const ordered = orderContainers(list);
    const { shown, rows } = presentRows(ordered, "all", "shop", new Set());
    expect(shown.map((c) => c.name)).toEqual(["shop-db-1", "shop-web-1"]);
    expect(rows[0]).toMatchObject({ kind: "project", project: "shop", running: 1, total: 2 });
    const running = presentRows(ordered, "running", "", new Set());
    expect(running.rows.map((r) => (r.kind === "project" ? `[${r.project} ${r.running}/${r.total}]` : r.container.name))).toEqual([
      "[shop 1/1]",
      "shop-web-1",
      "zeta",
    ]);
    expect(presentRows(ordered, "all", "nothing-like-it", new Set()).rows).toEqual([]);
  });
});

describe("list updates", () => {
  const shop = (n: number, over: Partial<Container> = {}) =>
    container({ name: `shop-web-${n}`, project: "shop", service: "web", state: "running", ...over });
  const names = (rows: ReturnType<typeof presentRows>["rows"]) =>
    rows.map((r) => (r.kind === "project" ? `[${r.project} ${r.running}/${r.total}]` : r.container.name));

  it("keeps an untouched project's sorted members and rows, and orders a touched one afresh", () => {
    const [web10, web2, web1] = [shop(10), shop(2), shop(1)];
    const cart = [container({ name: "cart-api-1", project: "cart", service: "api" })];
    const first = orderContainers([web10, cart[0], web2, web1]);
    const rows = presentRows(first, "all", "", new Set()).rows;
    expect(names(rows)).toEqual(["[cart 1/1]", "cart-api-1", "[shop 3/3]", "shop-web-1", "shop-web-2", "shop-web-10"]);

    // Another project's member changed: shop's members and rows are the very same objects.
    const cartStopped = container({ name: "cart-api-1", project: "cart", service: "api", state: "exited" });
    const zed = container({ name: "zed" });
    const second = orderContainers([web10, cartStopped, web2, web1, zed]);
    const shopOf = (o: typeof first) => o.find((e) => "project" in e && e.project === "shop");
    expect((shopOf(second) as { members: Container[] }).members).toBe((shopOf(first) as { members: Container[] }).members);
    const again = presentRows(second, "all", "", new Set()).rows;
    expect(names(again)).toEqual(["[cart 0/1]", "cart-api-1", "[shop 3/3]", "shop-web-1", "shop-web-2", "shop-web-10", "zed"]);
    const shopRows = (rs: typeof rows) => rs.filter((r) => r.key.startsWith("shop") || r.key === "project:shop");
    shopRows(again).forEach((r, i) => expect(r).toBe(shopRows(rows)[i]));

    // A member of shop stopped and another came: shop is sorted, counted and presented afresh.
    const web3 = shop(3);
    const web2Stopped = shop(2, { state: "exited" });
    const third = orderContainers([web10, cartStopped, web2Stopped, web1, zed, web3]);
    const after = presentRows(third, "all", "", new Set()).rows;
    expect(names(after)).toEqual(["[cart 0/1]", "cart-api-1", "[shop 3/4]", "shop-web-1", "shop-web-2", "shop-web-3", "shop-web-10", "zed"]);
    // The filter and the folding still apply to kept rows.
    expect(names(presentRows(third, "running", "", new Set()).rows)).toEqual(["[shop 3/3]", "shop-web-1", "shop-web-3", "shop-web-10", "zed"]);
    expect(names(presentRows(third, "all", "", new Set(["shop"])).rows)).toEqual(["[cart 0/1]", "cart-api-1", "[shop 3/4]", "zed"]);
    expect(names(presentRows(third, "all", "", new Set()).rows)).toEqual(names(after));
    // A project that left and came back is sorted from its rows, not from what it was.
    orderContainers([zed]);
    expect(names(presentRows(orderContainers([web2, web1]), "all", "", new Set()).rows)).toEqual(["[shop 2/2]", "shop-web-1", "shop-web-2"]);
  });

  it("searches a changed row by its new text, whether or not its text was made ahead", () => {
    const old = container({ name: "api", status: "Up 2 minutes" });
    prepareSearch([old], 0, 10);
    expect(filterContainers([old], "all", "minutes").map((c) => c.name)).toEqual(["api"]);
    const changed = container({ name: "api", status: "Exited (0) 1 second ago" });
    expect(filterContainers([changed], "all", "minutes")).toEqual([]);
    expect(filterContainers([changed], "all", "exited").map((c) => c.name)).toEqual(["api"]);
    // Made ahead for a part of a list: the rest is made when first searched.
    const list = [container({ name: "one" }), container({ name: "two" }), container({ name: "three" })];
    prepareSearch(list, 1, 1);
    expect(filterContainers(list, "all", "two").map((c) => c.name)).toEqual(["two"]);
    expect(filterContainers(list, "all", "three").map((c) => c.name)).toEqual(["three"]);
  });
});

describe("columnsFor", () => {
  it("keeps every column when they fit, and drops Created, then Image, then Ports as the table narrows", () => {
    expect(columnsFor(1100, false)).toEqual(["name", "image", "state", "status", "ports", "created", "actions"]);
    expect(columnsFor(800, false)).toEqual(["name", "image", "state", "status", "ports", "actions"]);
    expect(columnsFor(700, false)).toEqual(["name", "state", "status", "ports", "actions"]);
    expect(columnsFor(600, false)).toEqual(["name", "state", "status", "actions"]);
    // The narrowest window (720 px, less the sidebar) still shows every row's actions.
    const narrowest = columnsFor(720 - 184, false);
    expect(narrowest).toContain("actions");
    // The stats: all of them in a wide window; block I/O and PIDs, then network I/O, leave first.
    expect(columnsFor(1400, true)).toEqual(["name", "image", "state", "status", "cpu", "memory", "net", "block", "pids", "ports", "created", "actions"]);
    expect(columnsFor(1250, true)).toEqual(["name", "image", "state", "status", "cpu", "memory", "net", "ports", "created", "actions"]);
    expect(columnsFor(1100, true)).toEqual(["name", "image", "state", "status", "cpu", "memory", "ports", "created", "actions"]);
    expect(columnsFor(1000, true)).toEqual(["name", "image", "state", "status", "cpu", "memory", "ports", "actions"]);
    expect(columnsFor(600, true)).toEqual(["name", "state", "status", "actions"]);
    expect(tracksOf(["name", "actions"])).toBe("minmax(140px, 2fr) 176px");
  });
});
