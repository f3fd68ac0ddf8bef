import { AsyncLocalStorage } from "node:async_hooks";
import type { Locale } from "../i18n/locale.js";
import type { Logger } from "../logging/logger.js";

/** Per-request facts that code without a GraphQL context (error formatting, logging) still needs. */
export interface RequestScope {
  requestId: string;
  locale: Locale;
  logger: Logger;
}

export const requestStore = new AsyncLocalStorage<RequestScope>();
