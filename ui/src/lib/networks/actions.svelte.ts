// Removing networks as the list offers it: ask first, naming the network; when containers are
// attached, say which and offer to disconnect them first; a row's failure shows on the row.
import { commands, type EngineError, type Network } from "../../bindings";
import { Prune } from "../shared/prune.svelte";

export class NetworkActions {
  /** The network the user asked to remove, while it is confirmed. */
  confirming = $state<Network | null>(null);
  /** A removal the engine would refuse for attached containers: the offer to disconnect them. */
  attached = $state<{ network: Network; message: string } | null>(null);
  /** Network id -> removal in flight. */
  busy = $state<Record<string, boolean>>({});
  /** Network id -> why its last removal failed. */
  errors = $state<Record<string, EngineError>>({});

  readonly prune = new Prune<Network>(commands.networkPruneCandidates, (n) => n.name, commands.pruneNetworks);

  ask(n: Network): void {
    this.confirming = n;
  }

  async remove(n: Network, disconnectFirst = false): Promise<void> {
    this.confirming = null;
    this.attached = null;
    this.busy[n.id] = true;
    delete this.errors[n.id];
    const res = await commands.removeNetwork(n.id, disconnectFirst);
    delete this.busy[n.id];
    if (res.status === "ok") return;
    if (res.error.code === "InUse" && !disconnectFirst) this.attached = { network: n, message: res.error.message };
    else this.errors[n.id] = res.error;
  }

  dismiss(id: string): void {
    delete this.errors[id];
  }
}
