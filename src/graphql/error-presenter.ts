import { GraphQLError, type GraphQLFormattedError } from "graphql";
import type { Locale } from "../i18n/locale.js";
import { translate } from "../i18n/messages.js";
import type { Logger } from "../logging/logger.js";
import { DomainError } from "./errors.js";

/** Codes that GraphQL itself or Apollo produce for a bad request; they are shown as they are. */
const CLIENT_ERROR_CODES = new Set([
  "GRAPHQL_PARSE_FAILED",
  "GRAPHQL_VALIDATION_FAILED",
  "BAD_USER_INPUT",
  "BAD_REQUEST",
  "PERSISTED_QUERY_NOT_FOUND",
  "PERSISTED_QUERY_NOT_SUPPORTED",
  "OPERATION_RESOLUTION_FAILURE",
  "UNAUTHENTICATED",
  "FORBIDDEN",
]);

/**
 * Turn any error raised while executing an operation into the error the client receives, in its
 * language. DomainErrors keep their category (`extensions.code`) and reason, and GraphQL's own request
 * errors pass through. Everything else is masked as INTERNAL_SERVER_ERROR and logged once with the request id, so no
 * stack, SQL or secret reaches a response.
 */
export function presentError(
  formatted: GraphQLFormattedError,
  error: unknown,
  request: { locale: Locale; requestId: string; logger: Logger },
): GraphQLFormattedError {
  const original = unwrapError(error);

  if (original instanceof DomainError) {
    return {
      message: translate(request.locale, original.messageKey, original.params),
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: original.category, reason: original.reason, ...original.details },
    };
  }

  const code = formatted.extensions?.["code"];
  const isClientError = typeof code === "string" && CLIENT_ERROR_CODES.has(code);
  const isPlainGraphQLError = original instanceof GraphQLError && original.originalError === undefined;
  if (isClientError || (isPlainGraphQLError && code === undefined)) {
    const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
    return { ...formatted, extensions: { ...extensions, code: typeof code === "string" ? code : "BAD_USER_INPUT" } };
  }

  request.logger.error({ err: original, path: formatted.path, requestId: request.requestId }, "unexpected error in operation");
  return {
    message: translate(request.locale, "error.internal", { requestId: request.requestId }),
    ...(formatted.path ? { path: formatted.path } : {}),
    extensions: { code: "INTERNAL_SERVER_ERROR", requestId: request.requestId },
  };
}

/** Return the error a resolver threw, beneath the GraphQLError wrappers that execution adds around it. */
function unwrapError(error: unknown): unknown {
  let current = error;
  while (current instanceof GraphQLError && current.originalError) current = current.originalError;
  return current;
}
