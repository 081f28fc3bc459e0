// What the details panel shows of a container, beyond the engine's own words.
import type { PublishedPort } from "../../bindings";

/** A published port as one entry: the addresses it is bound on (IPv4 and IPv6 alike), one port. */
export type PortEntry = { container: string; hostPort: number | null; hosts: string[] };

/** The engine lists a port bound on 0.0.0.0 and on :: twice; people see one port with one Open. */
export function mergePorts(ports: readonly PublishedPort[]): PortEntry[] {
  const out: PortEntry[] = [];
  for (const p of ports) {
    const same = out.find((e) => e.container === p.container && e.hostPort === (p.host_port ?? null));
    const host = p.host_ip ?? "0.0.0.0";
    if (same) {
      if (p.host_port && !same.hosts.includes(host)) same.hosts.push(host);
    } else {
      out.push({ container: p.container, hostPort: p.host_port ?? null, hosts: p.host_port ? [host] : [] });
    }
  }
  return out;
}

/** The tabs of the details panel. */
export const TABS = ["Overview", "Logs", "Terminal", "Environment", "Inspect", "Stats"] as const;
export type Tab = (typeof TABS)[number];
