import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

/** Messages between the benchmark and a process it started: requests by id, and one ready message. */
type ParentMessage = { id: number; op: string; args?: unknown };
type ChildMessage =
  | { type: "ready"; info: unknown }
  | { type: "fatal"; message: string }
  | { id: number; result?: unknown; error?: string };

export interface BenchChild<TInfo> {
  pid: number;
  /** Data the process sent with its ready message, such as its listening port. */
  info: TInfo;
  request<T = unknown>(op: string, args?: unknown): Promise<T>;
  /** Ask the process to stop cleanly; kill it if it has not exited after `timeoutMs`. */
  stop(timeoutMs?: number): Promise<void>;
}

/** True when this file runs from TypeScript sources through @swc-node/register, not from bench/.build. */
const FROM_SOURCES = import.meta.url.endsWith(".ts");

/**
 * Start an entry point of the benchmark in its own Node process, so that a server's CPU time and memory
 * can be measured apart from the load generator's. `entry` names the compiled .js file, as imports do.
 * When the benchmark runs from sources, the .ts file runs through the same loader instead, and the
 * loader's compiler then adds to the child's memory. `options` reaches the child as JSON.
 */
export function startBenchChild<TInfo>(entry: URL, options: unknown, readyTimeoutMs = 60_000): Promise<BenchChild<TInfo>> {
  const file = FROM_SOURCES ? fileURLToPath(entry).replace(/\.js$/, ".ts") : fileURLToPath(entry);
  const child = fork(file, [], {
    execArgv: FROM_SOURCES ? ["--import", "@swc-node/register/esm-register"] : [],
    env: { ...process.env, BENCH_CHILD_OPTIONS: JSON.stringify(options) },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });

  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  let exited = false;

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${entry.pathname} was not ready within ${readyTimeoutMs} ms`));
    }, readyTimeoutMs);

    child.on("message", (message: ChildMessage) => {
      if ("type" in message && message.type === "ready") {
        clearTimeout(timer);
        resolve(wrap(child, message.info as TInfo));
        return;
      }
      if ("type" in message && message.type === "fatal") {
        clearTimeout(timer);
        reject(new Error(`${entry.pathname} failed: ${message.message}`));
        return;
      }
      if ("id" in message) {
        const waiter = pending.get(message.id);
        pending.delete(message.id);
        if (message.error !== undefined) waiter?.reject(new Error(message.error));
        else waiter?.resolve(message.result);
      }
    });
    child.on("exit", (code, signal) => {
      exited = true;
      clearTimeout(timer);
      const error = new Error(`${entry.pathname} exited (code ${code}, signal ${signal})`);
      for (const waiter of pending.values()) waiter.reject(error);
      pending.clear();
      reject(error);
    });
  });

  function wrap(process: ChildProcess, info: TInfo): BenchChild<TInfo> {
    return {
      pid: process.pid!,
      info,
      request<T>(op: string, args?: unknown): Promise<T> {
        if (exited) return Promise.reject(new Error(`${entry.pathname} has exited`));
        const id = nextId++;
        return new Promise<T>((resolveRequest, rejectRequest) => {
          pending.set(id, { resolve: resolveRequest as (value: unknown) => void, reject: rejectRequest });
          process.send({ id, op, args } satisfies ParentMessage);
        });
      },
      async stop(timeoutMs = 20_000) {
        if (exited) return;
        const gone = new Promise<void>((resolveExit) => process.once("exit", () => resolveExit()));
        process.send({ id: nextId++, op: "stop" } satisfies ParentMessage);
        const timer = setTimeout(() => process.kill("SIGKILL"), timeoutMs);
        await gone;
        clearTimeout(timer);
      },
    };
  }
}

/** In the child: the options the benchmark passed to startBenchChild. */
export function childOptions<T>(): T {
  const raw = process.env["BENCH_CHILD_OPTIONS"];
  if (!raw) throw new Error("BENCH_CHILD_OPTIONS is missing; start this file through startBenchChild");
  return JSON.parse(raw) as T;
}

/**
 * In the child: serve the benchmark's requests with `handlers`, then report ready. The "stop" request
 * runs `onStop` and exits; a lost parent also ends the process, so no server outlives a benchmark.
 */
export function serveParent(
  info: unknown,
  handlers: Record<string, (args: any) => unknown>,
  onStop: () => Promise<void>,
): void {
  const send = (message: ChildMessage) => process.send?.(message);

  process.on("message", async (message: ParentMessage) => {
    if (message.op === "stop") {
      await onStop().catch((error: unknown) => console.error(error));
      process.exit(0);
    }
    const handler = handlers[message.op];
    try {
      if (!handler) throw new Error(`unknown request ${message.op}`);
      send({ id: message.id, result: await handler(message.args) });
    } catch (error) {
      send({ id: message.id, error: (error as Error).stack ?? String(error) });
    }
  });
  process.on("disconnect", () => {
    void onStop().finally(() => process.exit(0));
  });
  send({ type: "ready", info });
}

/** In the child: report a start-up failure to the benchmark and exit. */
export function failStartup(error: unknown): void {
  const message: ChildMessage = { type: "fatal", message: (error as Error).stack ?? String(error) };
  // Exit only once the message is out, or the benchmark gets a bare exit code instead of the reason.
  if (process.send) process.send(message, () => process.exit(1));
  else process.exit(1);
}
