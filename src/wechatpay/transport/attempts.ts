import type { CallOptions, ClientContext } from "../context.js";
import type { ErrorClassification, TransportFailureCode, CallEffect } from "../error-codes.js";
import { classifyTransportFailure } from "../error-codes.js";
import type { WechatPayFailure, WechatPayResult } from "../result.js";
import { HttpTransportError } from "./http-request.js";
import { RateLimitWaitAbortedError, delay, type RateLimitedOperation } from "./rate-limiter.js";
import { backoffDelayMs } from "./retry.js";

/** The result of one attempt; failures carry whether the client may send the same request again. */
export type AttemptResult<T> = WechatPayResult<T> | (WechatPayFailure & { autoRetry: boolean });

export type AttemptFailure = WechatPayFailure & { autoRetry: boolean };

export function attemptFailure(
  classification: ErrorClassification,
  fields: { code: string; message: string; httpStatus?: number; requestId?: string },
): AttemptFailure {
  const failure: AttemptFailure = {
    ok: false,
    outcome: classification.outcome,
    code: fields.code,
    message: fields.message,
    autoRetry: classification.autoRetry,
  };
  if (fields.httpStatus !== undefined) failure.httpStatus = fields.httpStatus;
  if (fields.requestId !== undefined) failure.requestId = fields.requestId;
  return failure;
}

/** Maps an error thrown while waiting for a token or sending to a classified failure. */
export function transportFailure(error: unknown, effect: CallEffect, callerSignal?: AbortSignal): AttemptFailure {
  if (error instanceof RateLimitWaitAbortedError) {
    const code: TransportFailureCode = callerSignal?.aborted ? "RATE_LIMIT_WAIT_ABORTED" : "TIMEOUT";
    return attemptFailure(classifyTransportFailure(code, effect, false), {
      code,
      message: "no request was sent: the wait for the local rate limiter ended first",
    });
  }

  if (error instanceof HttpTransportError) {
    const code: TransportFailureCode = error.aborted
      ? callerSignal?.aborted
        ? "ABORTED"
        : "TIMEOUT"
      : error.sent
        ? "CONNECTION_LOST"
        : "CONNECTION_FAILED";
    const stage = error.sent ? "after the request was sent" : "before the request was sent";
    return attemptFailure(classifyTransportFailure(code, effect, error.sent), {
      code,
      message: `${code === "TIMEOUT" ? "timed out" : "failed"} ${stage}: ${error.message}`,
    });
  }

  throw error;
}

/** Combines the caller's signal with the per-attempt timeout into the signal for one attempt. */
export function attemptSignal(context: ClientContext, options: CallOptions | undefined): AbortSignal {
  const timeout = AbortSignal.timeout(options?.timeoutMs ?? context.timeoutMs);
  return options?.signal === undefined ? timeout : AbortSignal.any([options.signal, timeout]);
}

/** Takes a token from the operation's rate limiter, if it has one. */
export async function waitForRateLimit(
  context: ClientContext,
  rateLimit: RateLimitedOperation | undefined,
  signal: AbortSignal,
): Promise<void> {
  if (rateLimit === undefined) return;
  await context.rateLimiters[rateLimit].acquire(signal);
}

/**
 * Runs `attempt` until it succeeds, fails without `autoRetry`, or the attempts run out, waiting an
 * exponential backoff with jitter in between. The attempt must resend the same request number and bytes.
 */
export async function runWithRetries<T>(input: {
  context: ClientContext;
  operation: string;
  options: CallOptions | undefined;
  attempt: (attemptNumber: number) => Promise<AttemptResult<T>>;
}): Promise<WechatPayResult<T>> {
  const { context, operation, options } = input;
  const log = context.logger;

  for (let attemptNumber = 1; ; attemptNumber += 1) {
    const startedAt = Date.now();
    const result = await input.attempt(attemptNumber);
    const durationMs = Date.now() - startedAt;

    if (result.ok) {
      log.info({ operation, attempt: attemptNumber, durationMs, requestId: result.requestId }, "wechat pay call succeeded");
      return result;
    }

    const { autoRetry, ...failure } = result as AttemptFailure;
    const logFields = {
      operation,
      attempt: attemptNumber,
      durationMs,
      code: failure.code,
      outcome: failure.outcome,
      httpStatus: failure.httpStatus,
      requestId: failure.requestId,
    };
    const canRetry = autoRetry === true && attemptNumber < context.retry.maxAttempts && !options?.signal?.aborted;
    if (!canRetry) {
      log.warn(logFields, "wechat pay call failed");
      return failure;
    }

    const delayMs = backoffDelayMs(context.retry, attemptNumber, context.random);
    log.warn({ ...logFields, delayMs }, "wechat pay call failed; retrying with the same request");
    try {
      await delay(delayMs, options?.signal);
    } catch {
      return failure;
    }
  }
}
