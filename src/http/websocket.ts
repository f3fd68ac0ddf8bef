import type http from "node:http";
import { GraphQLError, getOperationAST, parse, validate, type DocumentNode, type GraphQLSchema } from "graphql";
import { useServer } from "graphql-ws/use/ws";
import { WebSocketServer } from "ws";
import type { AppServices } from "../app/services.js";
import type { Actor } from "../auth/actor.js";
import type { TokenVerifier } from "../auth/token-verifier.js";
import { presentError } from "../graphql/error-presenter.js";
import { depthLimitRule } from "../graphql/depth-limit.js";
import { negotiateLocale, type Locale } from "../i18n/locale.js";
import { authenticate, buildRequestContext, requestIdFrom } from "./request-context.js";
import { specifiedRules } from "graphql";
import { translate } from "../i18n/messages.js";
import { containsNul } from "./request-guards.js";

interface ConnectionState {
  actor: Actor | null;
  locale: Locale;
  requestId: string;
}

type ConnectionParams = Record<string, unknown> & {
  authorization?: string;
  Authorization?: string;
  "accept-language"?: string;
};

/**
 * GraphQL subscriptions over graphql-ws on the same path as HTTP. The token comes from the connection
 * parameters (browsers cannot set headers on a WebSocket) or the upgrade request, and operations pass
 * the same validation rules and depth limit as over HTTP.
 */
export function attachWebSocketServer(options: {
  httpServer: http.Server;
  schema: GraphQLSchema;
  services: AppServices;
  verifier: TokenVerifier;
}) {
  const { schema, services, verifier } = options;
  const webSocketServer = new WebSocketServer({ server: options.httpServer, path: "/graphql" });
  // The WebSocket server repeats the HTTP server's listen errors; the HTTP side reports them.
  webSocketServer.on("error", () => {});
  const states = new WeakMap<object, ConnectionState>();

  const server = useServer<ConnectionParams | undefined>(
    {
      schema,

      onConnect: async (ctx) => {
        const params = ctx.connectionParams ?? {};
        const headers = ctx.extra.request.headers;
        const locale = negotiateLocale(params["accept-language"] ?? headers["accept-language"]);
        const authorization = params.authorization ?? params.Authorization ?? headers.authorization;
        const requestId = requestIdFrom(headers);
        try {
          const actor = await authenticate(verifier, authorization, locale);
          states.set(ctx, { actor, locale, requestId });
          return true;
        } catch (error) {
          services.logger.info({ module: "websocket", requestId, reason: (error as Error).message }, "websocket connection rejected");
          // graphql-ws closes the socket with 4403 Forbidden when onConnect returns false.
          return false;
        }
      },

      onSubscribe: (ctx, _id, payload) => {
        const state = states.get(ctx) ?? { actor: null, locale: "en" as Locale, requestId: requestIdFrom({}) };
        if (containsNul(payload)) {
          return [new GraphQLError(translate(state.locale, "error.nulCharacter"), { extensions: { code: "BAD_USER_INPUT", reason: "NUL_CHARACTER" } })];
        }
        let document: DocumentNode;
        try {
          document = parse(payload.query);
        } catch (error) {
          return [error as GraphQLError];
        }

        const errors = validate(schema, document, [
          ...specifiedRules,
          depthLimitRule(services.config.maxQueryDepth, state.locale),
        ]);
        if (errors.length > 0) return errors;

        const operation = getOperationAST(document, payload.operationName);
        if (!operation) {
          return [new GraphQLError("The operation to run could not be determined; name it with operationName.")];
        }

        return {
          schema,
          document,
          operationName: payload.operationName ?? null,
          variableValues: payload.variables ?? null,
          contextValue: buildRequestContext(services, state.requestId, state.locale, state.actor),
        };
      },

      onNext: (ctx, _id, _payload, _args, result) => {
        if (!result.errors?.length) return;
        const state = states.get(ctx);
        const request = {
          locale: state?.locale ?? ("en" as Locale),
          requestId: state?.requestId ?? "unknown",
          logger: services.logger,
        };
        return { ...result, errors: result.errors.map((error) => presentError(error.toJSON(), error, request)) };
      },

      onError: (ctx, _id, _payload, errors) => {
        const state = states.get(ctx);
        const request = {
          locale: state?.locale ?? ("en" as Locale),
          requestId: state?.requestId ?? "unknown",
          logger: services.logger,
        };
        return errors.map((error) => presentError(error.toJSON(), error, request));
      },
    },
    webSocketServer,
  );

  return {
    /** Close every socket with 1001 (going away) and stop the server. */
    async close(): Promise<void> {
      await server.dispose();
      await new Promise<void>((resolve) => webSocketServer.close(() => resolve()));
    },
  };
}
