const DAY_MS = 86_400_000;

/**
 * The server's clock during the demo: it starts some days in the past and moves forward a day at a
 * time, so the campaign's events spread over several days and end today.
 */
export class DemoClock {
  private offsetMs: number;

  constructor(daysBack: number) {
    this.offsetMs = daysBack * DAY_MS;
  }

  readonly now = (): Date => new Date(Date.now() - this.offsetMs);

  advanceDays(days: number): void {
    this.offsetMs = Math.max(0, this.offsetMs - days * DAY_MS);
  }
}
