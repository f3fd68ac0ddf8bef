import { redactUrl } from "../config/environment.js";

/** A start-up failure whose message names the fix; it is printed without a stack trace. */
export class StartupError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "StartupError";
  }
}

/** Describe the innermost cause of an error chain as "CODE message". */
export function rootCause(error: unknown): string {
  let current = error;
  while (current instanceof Error && current.cause) current = current.cause;
  if (!(current instanceof Error)) return String(current);
  const code = (current as NodeJS.ErrnoException).code;
  return code && !current.message.includes(code) ? `${code} ${current.message}` : current.message;
}

/** Explain a failure to open or migrate the database in terms of the setting that chose it. */
export function databaseStartupError(error: unknown, databaseUrl: string | undefined): StartupError {
  const where = databaseUrl ? `the database at DATABASE_URL ${redactUrl(databaseUrl)}` : "the embedded PGlite database in PGLITE_DATA_DIR";
  const fix = databaseUrl
    ? "check that PostgreSQL runs, that the database exists and that the URL's user may create tables"
    : "check that the folder is writable and not used by another server process";
  return new StartupError(`cannot open ${where}: ${rootCause(error)}; ${fix}`, { cause: error });
}
