// Engine objects as the UI tests' mocked backend returns them.
import type { Container, EngineStatus, StatsSample } from "./bindings";

/** Container number `i`, running, with any field overridden. */
export function container(i: number, over: Partial<Container> = {}): Container {
  const state = over.state ?? "running";
  return {
    id: `${String(i).padStart(12, "0")}ffff`,
    name: `box-${String(i).padStart(4, "0")}`,
    image: "berth-test/busybox",
    image_id: "sha256:1",
    command: "sh",
    created: 1_700_000_000,
    created_local: { short: "Nov 14 2023", full: "2023-11-14 22:13:20" },
    state,
    up: state === "running" || state === "paused" || state === "restarting",
    status: "Up 2 minutes",
    exit_code: null,
    health: null,
    ports: [],
    project: null,
    service: null,
    networks: ["bridge"],
    ...over,
  };
}

/** A stats reading of container "abc" (a busy one: 97% of a CPU, 8 MiB of 64), with any field overridden. */
export function statsSample(over: Partial<StatsSample> = {}): StatsSample {
  return {
    id: "abc",
    at_ms: 0,
    cpu_percent: 97.26,
    mem_usage: 8_388_608,
    mem_limit: 67_108_864,
    mem_percent: 12.5,
    net_rx: 0,
    net_tx: 0,
    block_read: 0,
    block_write: 0,
    pids: 3,
    ...over,
  };
}

/** Play the window going to the tray ("hidden") or coming back ("visible"). */
export function pageIs(state: "hidden" | "visible"): void {
  Object.defineProperty(document, "visibilityState", { value: state, configurable: true });
  document.dispatchEvent(new Event("visibilitychange"));
}

/** The local Docker engine, connected. */
export const CONNECTED: EngineStatus = {
  state: "Connected",
  host: { uri: "unix:///var/run/docker.sock", source: { kind: "Default" } },
  engine: { product: "Docker", name: "box", version: "20.10.24", api_version: "1.41", os: "linux", arch: "amd64" },
};
