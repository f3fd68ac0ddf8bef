export interface MemoryFigures {
  /** Resident set size of the process, in MiB. */
  rssMb: number;
  /** V8 heap in use, in MiB. */
  heapUsedMb: number;
  /** Memory of Buffers and other allocations outside the V8 heap, in MiB. */
  externalMb: number;
}

const MIB = 1024 * 1024;

export function currentMemory(): MemoryFigures {
  const usage = process.memoryUsage();
  return { rssMb: usage.rss / MIB, heapUsedMb: usage.heapUsed / MIB, externalMb: (usage.external + usage.arrayBuffers) / MIB };
}

/**
 * Samples process.memoryUsage() at a fixed interval and keeps the highest value of each figure, because
 * a peak between two reads from outside would be missed.
 */
export class MemorySampler {
  private peak: MemoryFigures = currentMemory();
  /** When the RSS peak was sampled, in ms since the epoch. */
  private peakRssAt = Date.now();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly intervalMs = 20) {}

  /** Forget earlier peaks and start sampling from the current values. */
  reset(): MemoryFigures {
    this.peak = currentMemory();
    this.peakRssAt = Date.now();
    this.timer ??= setInterval(() => this.sample(), this.intervalMs);
    this.timer.unref();
    return this.peak;
  }

  /** Read the highest values since the last reset, including a sample taken now. */
  read(): { peak: MemoryFigures; current: MemoryFigures; peakRssAt: number } {
    const current = this.sample();
    return { peak: { ...this.peak }, current, peakRssAt: this.peakRssAt };
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private sample(): MemoryFigures {
    const now = currentMemory();
    if (now.rssMb > this.peak.rssMb) this.peakRssAt = Date.now();
    this.peak = {
      rssMb: Math.max(this.peak.rssMb, now.rssMb),
      heapUsedMb: Math.max(this.peak.heapUsedMb, now.heapUsedMb),
      externalMb: Math.max(this.peak.externalMb, now.externalMb),
    };
    return now;
  }
}
