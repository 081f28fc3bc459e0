// What to tell people when the engine cannot be used, by reason. Pure, so it is tested alone.
import type { EngineStatus, UnreachableReason } from "../../bindings";

export interface Explanation {
  title: string;
  /** What to do, in order. Plain text: shown as text, never as HTML. */
  steps: string[];
}

const SOCKET_HELP = "Berth follows DOCKER_HOST, DOCKER_CONTEXT and the docker CLI's current context, like the docker command.";

export function explain(reason: UnreachableReason, host: string): Explanation {
  switch (reason) {
    case "SocketMissing":
      return {
        title: "The Docker engine is not running",
        steps: [
          `Nothing is listening at ${host || "the Docker socket"}.`,
          "Start the engine (for example `sudo systemctl start docker`, or `sudo dockerd &`). Berth connects on its own as soon as it answers.",
          SOCKET_HELP,
        ],
      };
    case "PermissionDenied":
      return {
        title: "You may not use the Docker socket",
        steps: [
          `Your user cannot open ${host || "the Docker socket"}.`,
          "Add yourself to the docker group with `sudo usermod -aG docker $USER`, then log out and back in.",
        ],
      };
    case "Refused":
      return {
        title: "The Docker engine refused the connection",
        steps: [
          `Berth could not talk to a Docker engine at ${host}.`,
          "Check that dockerd runs there and answers `docker info`, then retry.",
        ],
      };
    case "Timeout":
      return {
        title: "The Docker engine does not answer",
        steps: [`${host} accepted the connection but did not reply in time.`, "The engine may be starting or overloaded; retry in a moment."],
      };
    case "Lost":
      return {
        title: "The Docker engine went away",
        steps: ["The connection to the engine closed. Berth reconnects by itself when the engine is back."],
      };
    case "InvalidHost":
      return {
        title: "The engine address cannot be used",
        steps: [`Berth cannot connect to “${host}”.`, SOCKET_HELP, "Use a unix:// socket, a tcp:// address with TLS, or ssh://user@host[:port]."],
      };
    case "Insecure":
      return {
        title: "Refused: the engine is open to the network without TLS",
        steps: [
          `${host} is a plain tcp:// address on another machine: anyone who can reach that port controls the machine.`,
          "Give the engine TLS certificates (dockerd --tlsverify) and the context its CA, certificate and key, or reach it over ssh://.",
        ],
      };
    case "Tls":
      return {
        title: "TLS with the engine failed",
        steps: [
          `The certificates for ${host} cannot be used, or the engine and Berth did not accept each other's.`,
          "Check the context's CA, certificate and key (the ones `docker --tlsverify` uses), then retry.",
        ],
      };
    case "HostKeyUnknown":
      return {
        title: "The ssh host is not known yet",
        steps: [
          `${host} is not in your known_hosts.`,
          "Connect once with ssh in a terminal, check the key's fingerprint and accept it, then retry.",
        ],
      };
    case "HostKeyChanged":
      return {
        title: "The ssh host key changed",
        steps: [
          `The key ${host} presents differs from the one in your known_hosts: someone may be in between, or the host was reinstalled.`,
          "Check with the host's owner; if the change is expected, remove the old key with `ssh-keygen -R HOST`, then retry.",
        ],
      };
    case "SshAuth":
      return {
        title: "The ssh host accepted no key",
        steps: [
          "Berth logs in with your ssh keys or ssh agent, never a password.",
          "Add your public key to the host's authorized_keys (`ssh-copy-id`), or load it into the agent (`ssh-add`), then retry.",
        ],
      };
    case "DockerMissing":
      return {
        title: "No docker command on the ssh host",
        steps: [`Berth runs \`docker system dial-stdio\` on ${host}: install the docker CLI there (18.09 or newer).`],
      };
    case "ContextNotFound":
      return {
        title: "The docker context does not exist",
        steps: ["Pick an existing context with `docker context use <name>`, or unset DOCKER_CONTEXT."],
      };
  }
}

/** A one-line summary for the status bar. */
export function summary(status: EngineStatus): string {
  switch (status.state) {
    case "Connecting":
      return "Connecting to the Docker engine…";
    case "Connected": {
      const e = status.engine;
      return `${e.product} ${e.version} (API ${e.api_version})${e.name ? ` on ${e.name}` : ""}`;
    }
    case "Unreachable":
      return `Docker engine unreachable: ${status.message}`;
  }
}
