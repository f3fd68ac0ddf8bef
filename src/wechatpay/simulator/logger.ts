/** The subset of pino's interface the simulator logs through; pass a pino logger or a child of one. */
export interface SimulatorLogger {
  debug(object: object, message: string): void;
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
  error(object: object, message: string): void;
}

const ignore = (): void => {};

export const silentLogger: SimulatorLogger = { debug: ignore, info: ignore, warn: ignore, error: ignore };
