// The create-network dialog's form: what is typed, as the backend's NetworkSpec.
import type { NetworkSpec } from "../../bindings";
import { lines } from "../shared/forms.svelte";

export type NetworkForm = {
  name: string;
  driver: string;
  subnet: string;
  gateway: string;
  ipRange: string;
  internal: boolean;
  attachable: boolean;
  labels: string;
  options: string;
};

export function emptyNetworkForm(): NetworkForm {
  return { name: "", driver: "bridge", subnet: "", gateway: "", ipRange: "", internal: false, attachable: false, labels: "", options: "" };
}

export function toNetworkSpec(f: NetworkForm): NetworkSpec {
  return {
    name: f.name,
    driver: f.driver,
    subnet: f.subnet,
    gateway: f.gateway,
    ip_range: f.ipRange,
    internal: f.internal,
    attachable: f.attachable,
    labels: lines(f.labels),
    options: lines(f.options),
  };
}

/** Aliases as typed: separated by commas or spaces. */
export function parseAliases(text: string): string[] {
  return text.split(/[\s,]+/).filter((a) => a !== "");
}
