import postgres from "postgres";

/** Share of sampled busy backends per wait event, "running" for those not waiting. */
export type WaitProfile = { event: string; share: number }[];

/**
 * Samples pg_stat_activity of one database at a fixed interval and counts what each active backend of
 * the app is doing: running, or waiting on a lock, on WAL flushes at commit, or on something else.
 */
export class DatabaseActivitySampler {
  private readonly sql: postgres.Sql;
  private readonly counts = new Map<string, number>();
  private samples = 0;
  private timer: NodeJS.Timeout | undefined;
  private inFlight = false;

  constructor(adminUrl: string, private readonly databaseName: string, private readonly intervalMs = 25) {
    this.sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  }

  start(): void {
    this.timer = setInterval(() => void this.sample(), this.intervalMs);
  }

  /** Stop and return the profile, largest share first; shares are of busy backend samples. */
  async stop(): Promise<{ profile: WaitProfile; busyBackends: number }> {
    clearInterval(this.timer);
    await this.sql.end({ timeout: 5 });
    const busy = [...this.counts.values()].reduce((sum, value) => sum + value, 0);
    const profile = [...this.counts.entries()]
      .map(([event, value]) => ({ event, share: busy === 0 ? 0 : value / busy }))
      .sort((a, b) => b.share - a.share);
    return { profile, busyBackends: this.samples === 0 ? 0 : busy / this.samples };
  }

  private async sample(): Promise<void> {
    if (this.inFlight) return;
    this.inFlight = true;
    try {
      const rows = await this.sql<{ event: string; backends: number }[]>`
        select coalesce(wait_event_type || ':' || wait_event, 'running') as event, count(*)::int as backends
        from pg_stat_activity
        where datname = ${this.databaseName} and state = 'active' and pid <> pg_backend_pid()
        group by 1`;
      this.samples++;
      for (const row of rows) this.counts.set(row.event, (this.counts.get(row.event) ?? 0) + row.backends);
    } finally {
      this.inFlight = false;
    }
  }
}

export function formatProfile(profile: WaitProfile, top = 4): string {
  return profile
    .slice(0, top)
    .map((entry) => `${entry.event} ${(entry.share * 100).toFixed(0)}%`)
    .join(", ");
}
