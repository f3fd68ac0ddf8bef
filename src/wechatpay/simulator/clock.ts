/**
 * Two clocks. Transport time stamps signatures and checks request freshness, so a client using the
 * real clock keeps working after a test jumps ahead. Business time adds the offset from `advance` and
 * drives expiry, `create_time` fields and daily limits.
 */
export class SimulatorClock {
  private offsetMs = 0;

  constructor(private readonly baseNow: () => number) {}

  /** Milliseconds on the transport clock (the `now` option, or `Date.now`). */
  transportNow(): number {
    return this.baseNow();
  }

  /** Milliseconds on the business clock. */
  now(): number {
    return this.baseNow() + this.offsetMs;
  }

  /** Milliseconds that `advance` has added to the business clock so far. */
  businessOffsetMs(): number {
    return this.offsetMs;
  }

  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`advanceTime expects a non-negative number of ms, got ${ms}`);
    this.offsetMs += ms;
  }
}

const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/** RFC 3339 in China Standard Time, the form WeChat Pay writes: `2026-07-01T10:34:56+08:00`. */
export function formatRfc3339(ms: number): string {
  return `${new Date(ms + SHANGHAI_OFFSET_MS).toISOString().slice(0, 19)}+08:00`;
}

/** `yyyy-MM-dd HH:mm:ss` in China Standard Time, the APIv2 form. */
export function formatV2Time(ms: number): string {
  return new Date(ms + SHANGHAI_OFFSET_MS).toISOString().slice(0, 19).replace("T", " ");
}

/** `yyyyMMdd` of the China Standard Time day; daily limits reset at midnight in Beijing. */
export function shanghaiDay(ms: number): string {
  return new Date(ms + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10).replaceAll("-", "");
}

/** Parses RFC 3339 with an explicit offset; returns undefined for anything else. */
export function parseRfc3339(value: unknown): number | undefined {
  if (typeof value !== "string") return undefined;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:\d{2}|Z)$/.test(value)) return undefined;

  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}
