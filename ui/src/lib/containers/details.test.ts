import { describe, expect, it } from "vitest";
import { mergePorts } from "./details";

describe("mergePorts", () => {
  it("makes a port bound on IPv4 and IPv6 one entry, and keeps unpublished ones", () => {
    expect(
      mergePorts([
        { container: "80/tcp", host_ip: "0.0.0.0", host_port: 8080 },
        { container: "80/tcp", host_ip: "::", host_port: 8080 },
        { container: "443/tcp", host_ip: "127.0.0.1", host_port: 8443 },
        { container: "9000/tcp", host_ip: null, host_port: null },
      ]),
    ).toEqual([
      { container: "80/tcp", hostPort: 8080, hosts: ["0.0.0.0", "::"] },
      { container: "443/tcp", hostPort: 8443, hosts: ["127.0.0.1"] },
      { container: "9000/tcp", hostPort: null, hosts: [] },
    ]);
  });
});
