import "reflect-metadata";
import net from "node:net";

// Tests talk only to servers they start on this machine. Any connection to another host fails loudly
// with the address, so a default that points at a real endpoint cannot slip through unnoticed.
const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "::1", "[::1]", "::ffff:127.0.0.1"]);

function isLoopback(host: string | undefined): boolean {
  if (host === undefined || host === "") return true;
  return LOOPBACK_HOSTS.has(host) || host.startsWith("127.");
}

const originalConnect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function guardedConnect(this: net.Socket, ...args: unknown[]) {
  const [first] = args;
  if (typeof first === "object" && first !== null && !Array.isArray(first)) {
    const options = first as { host?: string; path?: string };
    if (options.path === undefined && !isLoopback(options.host)) {
      throw new Error(`test network guard: connection to ${options.host} is not allowed; tests may only reach loopback`);
    }
  }
  return (originalConnect as (...a: unknown[]) => net.Socket).apply(this, args);
} as typeof net.Socket.prototype.connect;
