import { describe, expect, it } from "vitest";
import { emptyNetworkForm, parseAliases, toNetworkSpec } from "./form";

describe("the create-network form", () => {
  it("sends rows line by line, keeping empty lines so problems name the line the user sees", () => {
    const spec = toNetworkSpec({ ...emptyNetworkForm(), name: "foodtrucks", labels: "a=1\n\nb=2", ipRange: "10.0.1.0/24" });
    expect(spec.labels).toEqual(["a=1", "", "b=2"]);
    expect(spec.ip_range).toBe("10.0.1.0/24");
    expect(spec.driver).toBe("bridge");
    expect(toNetworkSpec(emptyNetworkForm()).options).toEqual([""]);
  });

  it("reads aliases separated by commas or spaces", () => {
    expect(parseAliases(" web, api  db,")).toEqual(["web", "api", "db"]);
    expect(parseAliases("  ")).toEqual([]);
  });
});
