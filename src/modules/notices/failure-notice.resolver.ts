import { Arg, Authorized, Ctx, Int, Query, Resolver } from "type-graphql";
import { Audience } from "../../auth/auth-checker.js";
import { tenantScope, type RequestContext } from "../../graphql/context.js";
import { parseGlobalId } from "../../graphql/relay/global-id.js";
import { decodeCursor, pageSize, toConnection } from "../../graphql/relay/pagination.js";
import { countFailureNotices, listFailureNotices } from "./failure-notice.repository.js";
import type { FailureNoticeRow } from "./failure-notice.table.js";
import { FailureNotice, FailureNoticeConnection, FailureNoticeFilter } from "./failure-notice.type.js";

@Resolver(() => FailureNotice)
export class FailureNoticeResolver {
  @Authorized(Audience.staffRead)
  @Query(() => FailureNoticeConnection, { description: "The failure notice outbox, newest first." })
  async failureNotices(
    @Ctx() ctx: RequestContext,
    @Arg("filter", () => FailureNoticeFilter, { nullable: true }) filter: FailureNoticeFilter | null,
    @Arg("first", () => Int, { nullable: true }) first: number | null,
    @Arg("after", () => String, { nullable: true }) after: string | null,
  ) {
    const scope = tenantScope(ctx);
    const size = pageSize(first);
    const cursor = after ? decodeCursor(after) : undefined;
    const query = {
      redPacketId: filter?.redPacketId ? parseGlobalId("RedPacket", filter.redPacketId, "filter.redPacketId") : null,
      grantId: filter?.grantId ? parseGlobalId("RedPacketGrant", filter.grantId, "filter.grantId") : null,
      status: filter?.status,
    };
    const [rows, total] = await Promise.all([listFailureNotices(scope, query, cursor, size + 1), countFailureNotices(scope, query)]);
    return toConnection(
      rows,
      size,
      total,
      cursor !== undefined,
      (row: FailureNoticeRow) => ({ key: row.createdAt.toISOString(), id: row.id }),
      FailureNotice.fromRow,
    );
  }
}
