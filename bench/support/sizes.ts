/** Data sizes and run lengths of one benchmark run. */
export interface BenchSizes {
  read: { orders: number; products: number; customers: number; concurrency: number; warmupMs: number; durationMs: number; statementSamples: number };
  issuance: {
    /** Customers each raised-limit workflow sends to. */
    customers: number;
    /** Customers of an unmeasured send before it, so JIT compilation and cold caches are paid for. */
    warmUpCustomers: number;
    /** Grants of the shorter runs at WeChat Pay's real limits, whose rate is extrapolated to `customers`. */
    realLimitVouchers: number;
    realLimitRedPackets: number;
  };
  analytics: { eventCounts: [number, number]; repetitions: number };
  fanOut: { subscribers: number; grantsPerSecond: number; grants: number };
  export: { orders: number };
}

export const FULL_SIZES: BenchSizes = {
  read: { orders: 20_000, products: 200, customers: 5_000, concurrency: 8, warmupMs: 2_000, durationMs: 8_000, statementSamples: 20 },
  issuance: { customers: 10_000, warmUpCustomers: 200, realLimitVouchers: 2_500, realLimitRedPackets: 150 },
  analytics: { eventCounts: [1_000_000, 10_000_000], repetitions: 5 },
  fanOut: { subscribers: 1_000, grantsPerSecond: 200, grants: 2_000 },
  export: { orders: 1_000_000 },
};

/** Tiny sizes for the CI smoke run: every code path, in well under two minutes. */
export const QUICK_SIZES: BenchSizes = {
  read: { orders: 2_000, products: 50, customers: 500, concurrency: 4, warmupMs: 500, durationMs: 1_500, statementSamples: 5 },
  issuance: { customers: 300, warmUpCustomers: 50, realLimitVouchers: 100, realLimitRedPackets: 40 },
  analytics: { eventCounts: [10_000, 100_000], repetitions: 3 },
  fanOut: { subscribers: 100, grantsPerSecond: 200, grants: 400 },
  export: { orders: 20_000 },
};
