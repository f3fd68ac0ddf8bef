import { Session } from "node:inspector/promises";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  hitCount?: number;
}

export interface CpuShare {
  /** Package (node_modules), source folder (src/…), Node internals, or a V8 category such as GC. */
  where: string;
  /** Share of the busy samples, from 0 to 1. */
  share: number;
}

/**
 * Samples this process's JavaScript stacks with the V8 profiler and attributes the time to the package
 * or source folder whose function was running, so a report can state where the server spends its CPU.
 */
export class CpuProfiler {
  private session: Session | undefined;

  /** Start sampling every `intervalMicros`; a longer interval costs less and suits long runs. */
  async start(intervalMicros = 500): Promise<void> {
    this.session = new Session();
    this.session.connect();
    await this.session.post("Profiler.enable");
    await this.session.post("Profiler.setSamplingInterval", { interval: intervalMicros });
    await this.session.post("Profiler.start");
  }

  /** Stop and return the busy time by place, largest first; idle samples are left out. */
  async stop(): Promise<CpuShare[]> {
    if (!this.session) return [];
    const { profile } = (await this.session.post("Profiler.stop")) as unknown as { profile: { nodes: ProfileNode[] } };
    this.session.disconnect();
    this.session = undefined;

    const hits = new Map<string, number>();
    for (const node of profile.nodes) {
      const where = placeOf(node.callFrame);
      if (where === "(idle)" || !node.hitCount) continue;
      hits.set(where, (hits.get(where) ?? 0) + node.hitCount);
    }
    const busy = [...hits.values()].reduce((sum, value) => sum + value, 0);
    return [...hits.entries()].map(([where, value]) => ({ where, share: value / busy })).sort((a, b) => b.share - a.share);
  }
}

function placeOf(frame: { functionName: string; url: string }): string {
  const { url, functionName } = frame;
  if (!url) return functionName.startsWith("(") ? functionName : "(native)";
  if (url.startsWith("node:")) return "node internals";

  const module = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (module) return module[1]!;
  const source = /\/src\/([^/]+)\//.exec(url);
  if (source) return `src/${source[1]}`;
  const bench = /\/bench\//.test(url);
  return bench ? "bench" : url;
}

export function formatShares(shares: CpuShare[], top = 6): string {
  return shares
    .slice(0, top)
    .map((entry) => `${entry.where} ${(entry.share * 100).toFixed(0)}%`)
    .join(", ");
}
