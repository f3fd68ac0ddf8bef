import type http from "node:http";
import type { KeyObject } from "node:crypto";

import type { WechatPayLogger } from "./logger.js";
import type { WechatPayMerchantConfig } from "./merchant-config.js";
import type { RateLimitedOperation, TokenBucket } from "./transport/rate-limiter.js";
import type { RetryPolicy } from "./transport/retry.js";
import type { WechatPayKeyStore } from "./verification/key-store.js";

/** Per-call settings every operation accepts. */
export interface CallOptions {
  /** Aborts the call; an abort after the request was sent makes a write's outcome "unknown". */
  signal?: AbortSignal;
  /** Time allowed for each attempt (rate-limit wait included); overrides the client's default. */
  timeoutMs?: number;
}

/** State the operations of one client share, built once by createWechatPayClient. */
export interface ClientContext {
  config: WechatPayMerchantConfig;
  privateKey: KeyObject;
  keyStore: WechatPayKeyStore;
  logger: WechatPayLogger;
  /** Milliseconds since the epoch. */
  now: () => number;
  random: () => number;
  timeoutMs: number;
  retry: RetryPolicy;
  rateLimiters: Record<RateLimitedOperation, TokenBucket>;
  v3BaseUrl: string;
  v2BaseUrl: string;
  v3Agent: http.Agent;
  v2Agent: http.Agent;
  userAgent: string;
}
