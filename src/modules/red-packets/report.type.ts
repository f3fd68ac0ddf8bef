import { Field, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { DateTimeResolver } from "graphql-scalars";
import { connectionType } from "../../graphql/relay/connection.js";
import { toGlobalId } from "../../graphql/relay/global-id.js";
import { FenScalar } from "../../graphql/scalars/fen.js";
import type { QuotaWarningPayload } from "./quota-warnings.js";
import type {
  MismatchKind,
  QuotaLimitKind,
  RedPacketReconciliationMismatchRow,
  RedPacketReconciliationRunRow,
} from "./red-packet.tables.js";
import { RedPacketLimitEnum } from "./red-packet.type.js";

@ObjectType({ description: "A limit's usage (issued and in flight) crossing the red packet's warning threshold; recorded once per crossing." })
export class RedPacketQuotaWarning {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  redPacketId!: string;

  @Field(() => RedPacketLimitEnum)
  limit!: QuotaLimitKind;

  @Field(() => String, { nullable: true, description: "Local date of a daily limit's crossing, YYYY-MM-DD." })
  day!: string | null;

  @Field(() => Int)
  thresholdPercent!: number;

  @Field(() => Int, { nullable: true, description: "For count limits: grants used right after the crossing." })
  usedCount!: number | null;

  @Field(() => Int, { nullable: true, description: "For count limits: the limit." })
  limitCount!: number | null;

  @Field(() => FenScalar, { nullable: true, description: "For amount limits: fen used right after the crossing." })
  usedAmount!: number | null;

  @Field(() => FenScalar, { nullable: true, description: "For amount limits: the limit." })
  limitAmount!: number | null;

  @Field(() => DateTimeResolver)
  createdAt!: Date;

  static fromPayload(payload: QuotaWarningPayload): RedPacketQuotaWarning {
    const isAmount = payload.limitKind.endsWith("AMOUNT");
    return {
      id: toGlobalId("RedPacketQuotaWarning", payload.warningId),
      redPacketId: toGlobalId("RedPacket", payload.redPacketId),
      limit: payload.limitKind,
      day: payload.day,
      thresholdPercent: payload.thresholdPercent,
      usedCount: isAmount ? null : payload.used,
      limitCount: isAmount ? null : payload.limit,
      usedAmount: isAmount ? payload.used : null,
      limitAmount: isAmount ? payload.limit : null,
      createdAt: new Date(payload.createdAt),
    };
  }
}

export const RedPacketQuotaWarningConnection = connectionType("RedPacketQuotaWarning", RedPacketQuotaWarning);

export const ReconciliationMismatchKindEnum = {
  MISSING_AT_WECHATPAY: "MISSING_AT_WECHATPAY",
  PAID_BUT_RECORDED_FAILED: "PAID_BUT_RECORDED_FAILED",
  AMOUNT_DIFFERS: "AMOUNT_DIFFERS",
  STATE_DIFFERS: "STATE_DIFFERS",
  STUCK_RESERVED: "STUCK_RESERVED",
  QUERY_FAILED: "QUERY_FAILED",
} as const;
registerEnumType(ReconciliationMismatchKindEnum, {
  name: "RedPacketMismatchKind",
  description: [
    "MISSING_AT_WECHATPAY: recorded as paid, unknown to WeChat Pay.",
    "PAID_BUT_RECORDED_FAILED: recorded as failed (quota released), but WeChat Pay sent it.",
    "AMOUNT_DIFFERS, STATE_DIFFERS: both know it, but disagree.",
    "STUCK_RESERVED: in flight for over an hour. QUERY_FAILED: WeChat Pay could not be asked.",
  ].join(" "),
});

@ObjectType({ description: "One comparison of recorded grants with WeChat Pay." })
export class RedPacketReconciliationRun {
  @Field(() => ID)
  id!: string;

  @Field(() => ID, { description: "The Job that ran it." })
  jobId!: string;

  @Field(() => Int)
  checkedGrants!: number;

  @Field(() => Int, { description: "Grants whose claim or refund was recorded by this run." })
  updatedGrants!: number;

  @Field(() => Int)
  mismatches!: number;

  @Field(() => DateTimeResolver)
  startedAt!: Date;

  @Field(() => DateTimeResolver, { nullable: true })
  finishedAt!: Date | null;

  static fromRow(row: RedPacketReconciliationRunRow): RedPacketReconciliationRun {
    return {
      id: toGlobalId("RedPacketReconciliationRun", row.id),
      jobId: toGlobalId("Job", row.jobId),
      checkedGrants: row.checkedGrants,
      updatedGrants: row.updatedGrants,
      mismatches: row.mismatches,
      startedAt: row.startedAt,
      finishedAt: row.finishedAt,
    };
  }
}

@ObjectType({ description: "A recorded grant that WeChat Pay reports differently." })
export class RedPacketReconciliationMismatch {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  runId!: string;

  @Field(() => ID)
  grantId!: string;

  @Field(() => ID)
  redPacketId!: string;

  @Field(() => ReconciliationMismatchKindEnum)
  kind!: MismatchKind;

  @Field(() => String)
  recordedStatus!: string;

  @Field(() => FenScalar)
  recordedAmount!: number;

  @Field(() => String, { nullable: true })
  wechatState!: string | null;

  @Field(() => FenScalar, { nullable: true })
  wechatAmount!: number | null;

  @Field(() => String, { nullable: true })
  detail!: string | null;

  @Field(() => DateTimeResolver)
  createdAt!: Date;

  static fromRow(row: RedPacketReconciliationMismatchRow): RedPacketReconciliationMismatch {
    return {
      id: toGlobalId("RedPacketReconciliationMismatch", row.id),
      runId: toGlobalId("RedPacketReconciliationRun", row.runId),
      grantId: toGlobalId("RedPacketGrant", row.grantId),
      redPacketId: toGlobalId("RedPacket", row.redPacketId),
      kind: row.kind,
      recordedStatus: row.recordedStatus,
      recordedAmount: row.recordedAmount,
      wechatState: row.wechatState,
      wechatAmount: row.wechatAmount,
      detail: row.detail,
      createdAt: row.createdAt,
    };
  }
}

export const RedPacketReconciliationMismatchConnection = connectionType("RedPacketReconciliationMismatch", RedPacketReconciliationMismatch);
