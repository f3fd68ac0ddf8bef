import { isV2ErrorCode, isV3ErrorCode, SimulatorUsageError } from "./errors.js";
import type { SignatureKind } from "./v3-signature.js";

/** APIv3 operations, named for the WeChat Pay API they simulate. */
export const V3_OPERATIONS = [
  "downloadCertificates",
  "createJsapiOrder",
  "queryOrder",
  "closeOrder",
  "createRefund",
  "queryRefund",
  "sendCoupon",
  "queryStock",
  "queryUserCoupon",
  "listUserCoupons",
  "setFavorCallbacks",
  "getFavorCallbacks",
  "createTransferBill",
  "queryTransferBill",
  "cancelTransferBill",
] as const;

/** APIv2 (XML, mutual TLS) operations. */
export const V2_OPERATIONS = ["sendRedPack", "getRedPackInfo"] as const;

export type V3Operation = (typeof V3_OPERATIONS)[number];
export type V2Operation = (typeof V2_OPERATIONS)[number];
export type ApiOperation = V3Operation | V2Operation;

/** `notify` matches every notification; an event type such as `TRANSACTION.SUCCESS` matches only that event. */
export type NotificationOperation = "notify" | `${string}.${string}`;

export type ApiFault =
  /** Respond with this error code. `processed: true` performs the operation first, as an ambiguous failure does. */
  | { errorCode: string; message?: string; processed?: boolean }
  /** Perform the operation, then destroy the socket without a response. */
  | { lostResponse: true }
  /** Wait before handling the request. */
  | { delayMs: number }
  /** Sign the response with a key WeChat Pay never published. */
  | { forgeSignature: true }
  /** Sign the response with a `WECHATPAY/SIGNTEST/` probe signature. */
  | { signatureProbe: true }
  /** Let concurrent voucher sends to one openid fail with RULE_LIMIT, as WeChat Pay sometimes does. */
  | { concurrentRuleLimit: true };

export type NotificationFault =
  | { duplicate: true }
  | { delayMs: number }
  /** Hold this notification until the next one for the same merchant has been delivered. */
  | { outOfOrder: true }
  | { forgeSignature: true }
  | { signatureProbe: true };

export type FaultInput =
  | { mchid?: string; operation: ApiOperation; fault: ApiFault; times?: number }
  | { mchid?: string; operation: NotificationOperation; fault: NotificationFault; times?: number };

interface ArmedFault {
  mchid?: string;
  operation: string;
  fault: ApiFault | NotificationFault;
  remaining: number;
}

/**
 * Faults armed by tests. Each fires for `times` matching calls (default 1) in the order armed; a fault
 * without mchid applies to every merchant.
 */
export class FaultRegistry {
  private armed: ArmedFault[] = [];

  inject(input: FaultInput): void {
    const times = input.times ?? 1;
    if (!(times > 0)) throw new SimulatorUsageError(`fault times must be a positive number, got ${times}`);

    validateFault(input.operation, input.fault);
    this.armed.push({ mchid: input.mchid, operation: input.operation, fault: input.fault, remaining: times });
  }

  clear(): void {
    this.armed = [];
  }

  /** Consumes one firing of the first armed API fault for this call, or returns undefined. */
  takeApiFault(mchid: string, operation: ApiOperation, skip?: (fault: ApiFault) => boolean): ApiFault | undefined {
    return this.take(mchid, (armed) => armed.operation === operation, skip as ((fault: unknown) => boolean) | undefined) as
      | ApiFault
      | undefined;
  }

  /** True while a fault of this shape is armed, without consuming it. */
  hasApiFault(mchid: string, operation: ApiOperation, predicate: (fault: ApiFault) => boolean): boolean {
    return this.armed.some(
      (armed) =>
        armed.operation === operation &&
        (armed.mchid === undefined || armed.mchid === mchid) &&
        predicate(armed.fault as ApiFault),
    );
  }

  /** Consumes one firing of an armed fault of this shape. */
  consumeApiFault(mchid: string, operation: ApiOperation, predicate: (fault: ApiFault) => boolean): boolean {
    return (
      this.take(
        mchid,
        (armed) => armed.operation === operation,
        (fault) => !predicate(fault as ApiFault),
      ) !== undefined
    );
  }

  takeNotificationFault(mchid: string, eventType: string): NotificationFault | undefined {
    return this.take(mchid, (armed) => armed.operation === "notify" || armed.operation === eventType) as
      | NotificationFault
      | undefined;
  }

  private take(
    mchid: string,
    matchesOperation: (armed: ArmedFault) => boolean,
    skip?: (fault: unknown) => boolean,
  ): ApiFault | NotificationFault | undefined {
    const index = this.armed.findIndex(
      (armed) =>
        matchesOperation(armed) &&
        (armed.mchid === undefined || armed.mchid === mchid) &&
        !(skip?.(armed.fault) ?? false),
    );
    if (index < 0) return undefined;

    const armed = this.armed[index]!;
    armed.remaining -= 1;
    if (armed.remaining <= 0) this.armed.splice(index, 1);
    return armed.fault;
  }
}

function validateFault(operation: string, fault: ApiFault | NotificationFault): void {
  const isV3 = (V3_OPERATIONS as readonly string[]).includes(operation);
  const isV2 = (V2_OPERATIONS as readonly string[]).includes(operation);
  const isNotification = operation === "notify" || /^[A-Z_]+(\.[A-Z_]+)+$/.test(operation);

  if (!isV3 && !isV2 && !isNotification) {
    throw new SimulatorUsageError(
      `unknown fault operation ${JSON.stringify(operation)}; expected one of ${[...V3_OPERATIONS, ...V2_OPERATIONS].join(", ")}, "notify" or an event type such as TRANSACTION.SUCCESS`,
    );
  }

  if (isNotification) {
    const valid =
      "duplicate" in fault ||
      "outOfOrder" in fault ||
      "forgeSignature" in fault ||
      "signatureProbe" in fault ||
      ("delayMs" in fault && fault.delayMs >= 0);
    if (!valid) throw new SimulatorUsageError(`fault ${JSON.stringify(fault)} does not apply to notifications`);
    return;
  }

  if ("errorCode" in fault) {
    const known = isV2 ? isV2ErrorCode(fault.errorCode) : isV3ErrorCode(fault.errorCode);
    if (!known) {
      throw new SimulatorUsageError(
        `error code ${fault.errorCode} is not a WeChat Pay ${isV2 ? "APIv2 red packet" : "APIv3"} code the simulator knows`,
      );
    }
    return;
  }

  if ("concurrentRuleLimit" in fault && operation !== "sendCoupon") {
    throw new SimulatorUsageError("concurrentRuleLimit applies only to sendCoupon");
  }
  if (("forgeSignature" in fault || "signatureProbe" in fault) && isV2) {
    throw new SimulatorUsageError("red packet responses are not signed, so signature faults do not apply to them");
  }

  const valid =
    "lostResponse" in fault ||
    "forgeSignature" in fault ||
    "signatureProbe" in fault ||
    "concurrentRuleLimit" in fault ||
    ("delayMs" in fault && fault.delayMs >= 0);
  if (!valid) throw new SimulatorUsageError(`fault ${JSON.stringify(fault)} is not a known fault`);
}

/** Picks how a response or notification is signed under a fault: forged, a probe, or genuinely. */
export function signatureKindOf(fault: ApiFault | NotificationFault | undefined): SignatureKind {
  if (fault === undefined) return "genuine";
  if ("forgeSignature" in fault) return "forged";
  if ("signatureProbe" in fault) return "probe";
  return "genuine";
}
