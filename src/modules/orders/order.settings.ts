import { readEnvironment } from "../../config/environment.js";

export interface OrderSettings {
  /** Seconds a checkout reserves stock waiting for payment, which is also the time_expire given to WeChat Pay. */
  paymentTimeoutSeconds: number;
}

/** Default time an unpaid order keeps its stock reserved: 15 minutes. */
export const DEFAULT_PAYMENT_TIMEOUT_SECONDS = 900;

/**
 * Read ORDER_PAYMENT_TIMEOUT_SECONDS. The range ends at two hours because a prepay_id is valid for two
 * hours, so a longer wait could not be paid with it. Throws a ConfigError naming the variable.
 */
export function readOrderSettings(env: NodeJS.ProcessEnv): OrderSettings {
  const read = readEnvironment(env);
  const paymentTimeoutSeconds = read.integer("ORDER_PAYMENT_TIMEOUT_SECONDS", DEFAULT_PAYMENT_TIMEOUT_SECONDS, { min: 60, max: 7200 });
  read.throwIfInvalid();
  return { paymentTimeoutSeconds };
}

let current: OrderSettings | undefined;

/** Return the settings of this process, read from its environment on first use. */
export function orderSettings(): OrderSettings {
  current ??= readOrderSettings(process.env);
  return current;
}
