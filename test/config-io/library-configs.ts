// Every configuration the scenario library holds (each scenario as written and each variant), for the export,
// real-tool and round-trip tests.
import { readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { loadScenario } from "../../src/scenario/load.js";
import type { ScenarioConfig } from "../../src/scenario/schema/scenario.js";

export const LIBRARY = resolve(__dirname, "..", "..", "scenarios");

export interface LibraryConfig {
  label: string;
  config: ScenarioConfig;
}

export function libraryConfigs(): LibraryConfig[] {
  const out: LibraryConfig[] = [];
  for (const file of readdirSync(LIBRARY).filter((f) => f.endsWith(".yaml")).sort()) {
    const loaded = loadScenario(join(LIBRARY, file));
    out.push({ label: `${loaded.base.name}`, config: loaded.base });
    for (const v of loaded.variants) out.push({ label: `${loaded.base.name}/${v.name}`, config: v.config });
  }
  return out;
}
