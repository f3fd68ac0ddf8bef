import type { ScenarioReport } from "../support/report.js";
import type { BenchSizes } from "../support/sizes.js";

export interface ScenarioContext {
  quick: boolean;
  sizes: BenchSizes;
  /** Progress line on stderr, so stdout keeps only the tables. */
  log(message: string): void;
}

export interface Scenario {
  id: string;
  title: string;
  run(context: ScenarioContext): Promise<ScenarioReport>;
}
