/** The subset of a pino logger the client writes to; pino itself satisfies it. */
export interface WechatPayLogger {
  debug(bindings: object, message?: string): void;
  info(bindings: object, message?: string): void;
  warn(bindings: object, message?: string): void;
  error(bindings: object, message?: string): void;
  child?(bindings: object): WechatPayLogger;
}

export const silentLogger: WechatPayLogger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
};
