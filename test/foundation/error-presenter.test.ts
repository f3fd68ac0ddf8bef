import { Writable } from "node:stream";
import { GraphQLError } from "graphql";
import { describe, expect, it } from "vitest";
import { presentError } from "../../src/graphql/error-presenter.js";
import { DomainError } from "../../src/graphql/errors.js";
import { createLogger } from "../../src/logging/logger.js";

function capturingLogger() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: createLogger("info", stream), lines };
}

describe("presentError", () => {
  it("masks an unexpected error and logs it once", () => {
    const { logger, lines } = capturingLogger();
    const internal = new Error('relation "secret_table" does not exist at select * from secret_table');
    const wrapped = new GraphQLError(internal.message, { originalError: internal, path: ["campaigns"] });

    const shown = presentError(wrapped.toJSON(), wrapped, { locale: "en", requestId: "req-12345678", logger });

    expect(shown.extensions).toEqual({ code: "INTERNAL_SERVER_ERROR", requestId: "req-12345678" });
    expect(shown.message).toContain("req-12345678");
    expect(JSON.stringify(shown)).not.toContain("secret_table");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("secret_table");
    expect(lines[0]).toContain("req-12345678");
  });

  it("renders a domain error in Chinese with its category and reason", () => {
    const { logger, lines } = capturingLogger();
    const domain = new DomainError("NOT_FOUND", "CAMPAIGN_NOT_FOUND", "campaign.notFound", { id: "abc" });
    const wrapped = new GraphQLError(domain.message, { originalError: domain });

    const shown = presentError(wrapped.toJSON(), wrapped, { locale: "zh-CN", requestId: "r-1", logger });

    expect(shown.message).toBe("未找到 id 为 abc 的营销活动。");
    expect(shown.extensions).toEqual({ code: "NOT_FOUND", reason: "CAMPAIGN_NOT_FOUND" });
    expect(lines).toHaveLength(0);
  });

  it("passes validation errors through without a stack", () => {
    const { logger } = capturingLogger();
    const validation = new GraphQLError('Cannot query field "nope" on type "Query".', {
      extensions: { code: "GRAPHQL_VALIDATION_FAILED", stacktrace: ["at secret.ts:1"] },
    });
    const shown = presentError(validation.toJSON(), validation, { locale: "en", requestId: "r-2", logger });
    expect(shown.extensions).toEqual({ code: "GRAPHQL_VALIDATION_FAILED" });
  });
});
