import { SimulatorUsageError } from "./errors.js";

export type LoopbackHost = "127.0.0.1" | "::1";

export function assertLoopbackHost(host: string): asserts host is LoopbackHost {
  if (host !== "127.0.0.1" && host !== "::1") {
    throw new SimulatorUsageError(`the simulator listens on loopback only (127.0.0.1 or ::1), not ${JSON.stringify(host)}`);
  }
}

/** True for URLs whose host is a loopback address; the simulator delivers notifications nowhere else. */
export function isLoopbackUrl(url: URL): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  return host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export function formatHostForUrl(host: LoopbackHost): string {
  return host === "::1" ? "[::1]" : host;
}
