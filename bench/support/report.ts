/** One line of a scenario's side-by-side table. */
export interface ReportRow {
  metric: string;
  bff: string;
  baseline: string;
  /** BFF divided by baseline, or another comparison, already formatted. */
  ratio?: string;
}

/** A target from the benchmark's brief, checked against a measured value. */
export interface TargetCheck {
  target: string;
  measured: string;
  met: boolean;
  /** Measured cause of a missed target, from this run. */
  reason?: string;
}

export interface ScenarioReport {
  id: string;
  title: string;
  /** "skipped: <module> not available", when the scenario could not run. */
  skipped?: string;
  rows: ReportRow[];
  targets: TargetCheck[];
  notes: string[];
  seconds?: number;
}

export function skippedReport(id: string, title: string, module: string): ScenarioReport {
  return { id, title, skipped: `skipped: ${module} not available`, rows: [], targets: [], notes: [] };
}

/** Render rows as a Markdown table with aligned columns, readable in a terminal and pasteable into docs. */
export function markdownTable(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? "").length)));
  const line = (cells: string[]) => `| ${cells.map((cell, column) => cell.padEnd(widths[column]!)).join(" | ")} |`;
  return [line(header), line(widths.map((width) => "-".repeat(width))), ...rows.map(line)].join("\n");
}

export function formatScenario(report: ScenarioReport): string {
  const heading = `### ${report.title}${report.seconds !== undefined ? ` (${report.seconds.toFixed(0)} s)` : ""}`;
  if (report.skipped) return `${heading}\n\n${report.skipped}\n`;

  const parts = [heading, ""];
  parts.push(markdownTable(["metric", "BFF", "baseline", "BFF / baseline"], report.rows.map((row) => [row.metric, row.bff, row.baseline, row.ratio ?? ""])));
  if (report.targets.length > 0) {
    parts.push("");
    parts.push(
      markdownTable(
        ["target", "measured", "met"],
        report.targets.map((check) => [check.target, check.measured, check.met ? "yes" : `NO: ${check.reason ?? "see notes"}`]),
      ),
    );
  }
  if (report.notes.length > 0) parts.push("", ...report.notes.map((note) => `- ${note}`));
  return `${parts.join("\n")}\n`;
}

export function fixed(value: number, digits = 1): string {
  return Number.isFinite(value) ? value.toFixed(digits) : "n/a";
}

export function ms(value: number): string {
  return Number.isFinite(value) ? `${value < 10 ? value.toFixed(2) : value.toFixed(1)} ms` : "n/a";
}

export function perSecond(value: number): string {
  return Number.isFinite(value) ? `${Math.round(value).toLocaleString("en-US")}/s` : "n/a";
}

export function count(value: number): string {
  return Math.round(value).toLocaleString("en-US");
}

export function ratio(bff: number, baseline: number): string {
  return Number.isFinite(bff / baseline) && baseline !== 0 ? `${(bff / baseline).toFixed(2)}×` : "n/a";
}
