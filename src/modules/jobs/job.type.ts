import { Field, Int, ObjectType, registerEnumType } from "type-graphql";
import { DateTimeResolver, JSONObjectResolver } from "graphql-scalars";
import { Node } from "../../graphql/relay/node.js";
import { connectionType } from "../../graphql/relay/connection.js";
import { toGlobalId } from "../../graphql/relay/global-id.js";
import type { JobItemRow, JobRow, JobStatus } from "./job.tables.js";

export const JobStatusEnum = { QUEUED: "QUEUED", RUNNING: "RUNNING", SUCCEEDED: "SUCCEEDED", FAILED: "FAILED", CANCELLED: "CANCELLED" } as const;
registerEnumType(JobStatusEnum, { name: "JobStatus" });

@ObjectType({ description: "Count of finished items with one outcome." })
export class JobOutcomeCount {
  @Field(() => String)
  outcome!: string;

  @Field(() => Int)
  count!: number;
}

@ObjectType({ description: "One unit of a bulk job, usually one customer, with its branchable outcome." })
export class JobItem {
  @Field(() => Int, { description: "Position in the submitted list, from 0." })
  position!: number;

  @Field(() => JSONObjectResolver, { description: "The item as submitted." })
  input!: Record<string, unknown>;

  @Field(() => String, { nullable: true, description: "Null while pending; otherwise ISSUED, LIMIT_REACHED or FAILED." })
  outcome!: string | null;

  @Field(() => JSONObjectResolver, { nullable: true, description: "Details such as couponId or the reason." })
  detail!: Record<string, unknown> | null;

  static fromRow(row: JobItemRow): JobItem {
    return { position: row.position, input: row.input, outcome: row.outcome, detail: row.detail };
  }
}

export const JobItemOutcomeEnum = { ISSUED: "ISSUED", LIMIT_REACHED: "LIMIT_REACHED", FAILED: "FAILED" } as const;
registerEnumType(JobItemOutcomeEnum, { name: "JobItemOutcome", description: "The branch a finished bulk-job item takes." });

export const JobItemConnection = connectionType("JobItem", JobItem);

@ObjectType({ implements: Node, description: "A durable background job, such as a workflow's bulk send." })
export class Job extends Node {
  readonly __typename = "Job";
  rowId!: string;

  @Field(() => String)
  kind!: string;

  @Field(() => JobStatusEnum)
  status!: JobStatus;

  @Field(() => String)
  idempotencyKey!: string;

  @Field(() => Int)
  totalItems!: number;

  @Field(() => Int)
  processedItems!: number;

  @Field(() => Int)
  attempts!: number;

  @Field(() => String, { nullable: true })
  lastError!: string | null;

  @Field(() => DateTimeResolver)
  createdAt!: Date;

  @Field(() => DateTimeResolver, { nullable: true })
  finishedAt!: Date | null;

  static fromRow(row: JobRow): Job {
    return Object.assign(new Job(), {
      id: toGlobalId("Job", row.id),
      rowId: row.id,
      kind: row.kind,
      status: row.status,
      idempotencyKey: row.idempotencyKey,
      totalItems: row.totalItems,
      processedItems: row.processedItems,
      attempts: row.attempts,
      lastError: row.lastError,
      createdAt: row.createdAt,
      finishedAt: row.finishedAt,
    });
  }
}
