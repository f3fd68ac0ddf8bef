import { readFileSync } from "node:fs";

interface CpuTimes {
  busy: number;
  total: number;
}

function machineTimes(): CpuTimes | undefined {
  try {
    // First line of /proc/stat: user nice system idle iowait irq softirq steal …, in clock ticks.
    const fields = readFileSync("/proc/stat", "utf8").split("\n", 1)[0]!.trim().split(/\s+/).slice(1).map(Number);
    const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
    const total = fields.slice(0, 8).reduce((sum, value) => sum + value, 0);
    return { busy: total - idle, total };
  } catch {
    return undefined;
  }
}

export interface CpuReading {
  /** CPU time of this Node process over wall time: 1.0 is one core fully busy. */
  processCores: number;
  /** Busy share of all cores of the machine (Linux only), from 0 to 1; NaN elsewhere. */
  machineBusy: number;
}

/** Start measuring CPU use; call the returned function to read the use since then. */
export function measureCpu(): () => CpuReading {
  const startedAt = process.hrtime.bigint();
  const processStart = process.cpuUsage();
  const machineStart = machineTimes();

  return () => {
    const wallMicros = Number(process.hrtime.bigint() - startedAt) / 1000;
    const usage = process.cpuUsage(processStart);
    const machineEnd = machineTimes();
    const machineBusy =
      machineStart && machineEnd && machineEnd.total > machineStart.total
        ? (machineEnd.busy - machineStart.busy) / (machineEnd.total - machineStart.total)
        : Number.NaN;
    return { processCores: (usage.user + usage.system) / wallMicros, machineBusy };
  };
}
