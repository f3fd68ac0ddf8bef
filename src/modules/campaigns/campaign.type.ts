import { Field, ObjectType, registerEnumType } from "type-graphql";
import { DateTimeResolver } from "graphql-scalars";
import { Node } from "../../graphql/relay/node.js";
import { connectionType } from "../../graphql/relay/connection.js";
import { toGlobalId } from "../../graphql/relay/global-id.js";
import type { CampaignRow, CampaignStatus } from "./campaign.table.js";

export const CampaignStatusEnum = { DRAFT: "DRAFT", ACTIVE: "ACTIVE", PAUSED: "PAUSED", ENDED: "ENDED" } as const;
registerEnumType(CampaignStatusEnum, { name: "CampaignStatus", description: "Lifecycle of a marketing campaign." });

@ObjectType({ implements: Node, description: "A marketing activity that vouchers, red packets, pages and orders link to." })
export class Campaign extends Node {
  readonly __typename = "Campaign";

  /** Row id, used by services; not exposed. */
  rowId!: string;

  @Field(() => String)
  name!: string;

  @Field(() => CampaignStatusEnum)
  status!: CampaignStatus;

  @Field(() => DateTimeResolver, { nullable: true })
  startsAt!: Date | null;

  @Field(() => DateTimeResolver, { nullable: true })
  endsAt!: Date | null;

  @Field(() => String, { nullable: true, description: "Id of this campaign in the wider marketing platform." })
  externalId!: string | null;

  @Field(() => DateTimeResolver)
  createdAt!: Date;

  @Field(() => DateTimeResolver)
  updatedAt!: Date;

  static fromRow(row: CampaignRow): Campaign {
    return Object.assign(new Campaign(), {
      id: toGlobalId("Campaign", row.id),
      rowId: row.id,
      name: row.name,
      status: row.status,
      startsAt: row.startsAt,
      endsAt: row.endsAt,
      externalId: row.externalId,
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
    });
  }
}

export const CampaignConnection = connectionType("Campaign", Campaign);
