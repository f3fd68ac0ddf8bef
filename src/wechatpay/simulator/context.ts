import type { SimulatorClock } from "./clock.js";
import { SimulatorUsageError } from "./errors.js";
import type { FaultRegistry } from "./faults.js";
import type { SimulatorLogger } from "./logger.js";
import type { NotificationDispatcher } from "./notifications.js";
import type { PlatformKeys } from "./platform-keys.js";
import type { MerchantRecord, SimulatorStore } from "./store.js";

/** Everything an operation needs; one per running simulator. */
export interface SimulatorContext {
  clock: SimulatorClock;
  store: SimulatorStore;
  keys: PlatformKeys;
  faults: FaultRegistry;
  notifications: NotificationDispatcher;
  logger: SimulatorLogger;
}

export function getMerchantOrThrow(context: SimulatorContext, mchid: string): MerchantRecord {
  const merchant = context.store.merchants.get(mchid);
  if (merchant === undefined) throw new SimulatorUsageError(`merchant ${mchid} does not exist in the simulator`, 404);
  return merchant;
}
