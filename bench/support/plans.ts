import type postgres from "postgres";
import { count, ms } from "./report.js";

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  "Actual Rows"?: number;
  "Actual Loops"?: number;
  "Rows Removed by Filter"?: number;
  "Rows Removed by Index Recheck"?: number;
  "Workers Launched"?: number;
  "Shared Hit Blocks"?: number;
  "Shared Read Blocks"?: number;
  Plans?: PlanNode[];
}

interface ExplainOutput {
  Plan: PlanNode;
  "Execution Time": number;
  JIT?: { Timing?: { Total?: number } };
}

export interface PlanSummary {
  /** Scan node on the table, such as "Bitmap Heap Scan" or "Seq Scan", with its index. */
  scan: string;
  /** Rows the scan read, kept or filtered out, over all parallel workers. */
  rowsScanned: number;
  /** Rows the scan passed on, over all parallel workers. */
  rowsReturned: number;
  workers: number;
  jitMs: number;
  executionMs: number;
  /** One line for a report. */
  text: string;
}

/**
 * Run a statement again under EXPLAIN (ANALYZE, BUFFERS) with its bind parameters and summarise the
 * scan of `table`. Per-node row counts in PostgreSQL's output are averages per loop, and a parallel scan
 * runs one loop per process, so they are multiplied back by the loops.
 */
export async function explainAnalyze(sql: postgres.Sql, table: string, text: string, parameters: unknown[] = []): Promise<PlanSummary> {
  const [row] = await sql.unsafe(`explain (analyze, buffers, format json) ${text}`, parameters as postgres.ParameterOrJSON<never>[]);
  const output = (row!["QUERY PLAN"] as ExplainOutput[])[0]!;
  const scan = findNode(output.Plan, (node) => node["Relation Name"] === table);
  const workers = findNode(output.Plan, (node) => node["Workers Launched"] !== undefined)?.["Workers Launched"] ?? 0;
  const loops = scan?.["Actual Loops"] ?? 1;
  const returned = (scan?.["Actual Rows"] ?? 0) * loops;
  const scanned = returned + ((scan?.["Rows Removed by Filter"] ?? 0) + (scan?.["Rows Removed by Index Recheck"] ?? 0)) * loops;
  const jitMs = output.JIT?.Timing?.Total ?? 0;
  const name = scan ? `${scan["Node Type"]}${scan["Index Name"] ? ` on ${scan["Index Name"]}` : ""}` : output.Plan["Node Type"];

  const parts = [`${name}: ${count(scanned)} rows scanned, ${count(returned)} kept`];
  if (workers > 0) parts.push(`${workers} parallel workers`);
  if (jitMs > 0) parts.push(`JIT ${ms(jitMs)}`);
  parts.push(`${ms(output["Execution Time"])} in the server`);
  return { scan: name, rowsScanned: scanned, rowsReturned: returned, workers, jitMs, executionMs: output["Execution Time"], text: parts.join(", ") };
}

function findNode(node: PlanNode, match: (node: PlanNode) => boolean): PlanNode | undefined {
  if (match(node)) return node;
  for (const child of node.Plans ?? []) {
    const found = findNode(child, match);
    if (found) return found;
  }
  return undefined;
}
