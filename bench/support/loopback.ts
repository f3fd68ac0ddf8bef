import net from "node:net";

const LOOPBACK_NAMES = new Set(["localhost", "::1", "[::1]", "::ffff:127.0.0.1"]);

export function isLoopbackHost(host: string | undefined): boolean {
  if (host === undefined || host === "") return true;
  return LOOPBACK_NAMES.has(host) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** Throw unless the URL points at this machine, because benchmark load must stay on loopback. */
export function assertLoopbackUrl(value: string, name: string): void {
  const host = new URL(value).hostname;
  if (!isLoopbackHost(host)) {
    throw new Error(`${name} points at ${host}; the benchmark only loads servers on loopback (127.0.0.1 or ::1)`);
  }
}

/**
 * Make every TCP connection of this process fail unless it goes to loopback. The benchmark starts all
 * of its servers itself, so a connection anywhere else is a mistake that must not generate load.
 */
export function guardOutboundConnections(): void {
  const connect = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function loopbackOnlyConnect(this: net.Socket, ...args: unknown[]) {
    const [target] = args;
    if (typeof target === "object" && target !== null && !Array.isArray(target)) {
      const { host, path } = target as { host?: string; path?: string };
      if (path === undefined && !isLoopbackHost(host)) {
        throw new Error(`benchmark network guard: connection to ${host} rejected; only loopback is allowed`);
      }
    }
    return (connect as (...rest: unknown[]) => net.Socket).apply(this, args);
  } as typeof net.Socket.prototype.connect;
}
