// Proves the generated JSON Schema is valid JSON describing the input side (units as text) with every top-level section.
import { describe, expect, it } from "vitest";
import { scenarioJsonSchema } from "../../src/scenario/json-schema.js";

describe("scenarioJsonSchema", () => {
  const schema = scenarioJsonSchema();
  const properties = schema.properties as Record<string, Record<string, unknown>>;

  it("round-trips through JSON", () => {
    expect(JSON.parse(JSON.stringify(schema))).toEqual(schema);
  });

  it("mentions every top-level section and forbids unknown keys", () => {
    for (const section of ["name", "title", "description", "seed", "duration", "warmup", "network", "sessions", "clients", "lb", "backends", "timeline", "variants", "expect"]) {
      expect(properties[section], section).toBeDefined();
    }
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(expect.arrayContaining(["name", "clients", "backends"]));
  });

  it("describes what people type: duration text with its default, algorithm names", () => {
    expect(properties.duration!.default).toBe("60s");
    expect(JSON.stringify(properties.lb)).toContain("least-connections");
    expect(JSON.stringify(properties.lb)).toContain("haproxy");
  });

  it("states the JVM defaults: GC follows load (trigger allocation), warmup over 5000 requests served", () => {
    const backends = JSON.stringify(properties.backends);
    expect(backends).toContain('"trigger":{"default":"allocation"');
    expect(backends).toContain('"requests":{"default":5000');
  });
});
