// The open terminal tabs. A tab lives until it is closed: switching views keeps its session.
import type { Open } from "../../bindings";

export type Tab = { key: number; container: string; name: string; how: Open };

export class Tabs {
  list = $state<Tab[]>([]);
  active = $state<number | null>(null);
  #next = 1;

  open(container: string, name: string, how: Open = { kind: "Auto" }): Tab {
    const tab = { key: this.#next++, container, name, how };
    this.list.push(tab);
    this.active = tab.key;
    return tab;
  }

  close(key: number): void {
    const at = this.list.findIndex((t) => t.key === key);
    if (at < 0) return;
    this.list.splice(at, 1);
    if (this.active === key) this.active = this.list[Math.min(at, this.list.length - 1)]?.key ?? null;
  }
}
