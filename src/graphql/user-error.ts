import { Field, ObjectType } from "type-graphql";
import type { MessageKey, MessageParams } from "../i18n/messages.js";
import { t, type RequestContext } from "./context.js";

@ObjectType({ description: "An expected business outcome the user can fix, returned in a mutation payload." })
export class UserError {
  @Field(() => String, { description: "Stable machine-readable reason, such as BATCH_EXHAUSTED." })
  code!: string;

  @Field(() => [String], { nullable: true, description: "Path of the input field at fault, if any." })
  field!: string[] | null;

  @Field(() => String, { description: "Explanation in the caller's language." })
  message!: string;
}

export function userError(
  ctx: RequestContext,
  code: string,
  key: MessageKey,
  params: MessageParams = {},
  field?: string[],
): UserError {
  return { code, field: field ?? null, message: t(ctx, key, params) };
}
