import http from "node:http";
import type { AddressInfo } from "node:net";
import { ApolloServer, type ApolloServerPlugin } from "@apollo/server";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { expressMiddleware } from "@as-integrations/express5";
import express from "express";
import type { GraphQLSchema } from "graphql";
import type { AppServices } from "../app/services.js";
import type { TokenVerifier } from "../auth/token-verifier.js";
import type { RequestContext } from "../graphql/context.js";
import { depthLimitRule } from "../graphql/depth-limit.js";
import { presentError } from "../graphql/error-presenter.js";
import { healthRoutes } from "./health.js";
import { jsonErrorHandler, rejectNulCharacters } from "./request-guards.js";
import { authenticate, buildRequestContext, localeFrom, requestIdFrom } from "./request-context.js";
import { requestStore } from "./request-store.js";
import { attachWebSocketServer } from "./websocket.js";
import type { NotificationRoutes } from "./notification-routes.js";
import { productPictureRoutes } from "../modules/products/product-picture.js";
import { orderExportDownloadRoutes } from "../modules/exports/download.routes.js";

export interface HttpServer {
  url: string;
  port: number;
  /** Stop accepting, let in-flight requests finish (up to the grace period), close WebSockets. */
  close(): Promise<void>;
}

export interface HttpServerOptions {
  services: AppServices;
  schema: GraphQLSchema;
  verifier: TokenVerifier;
  notificationRoutes?: NotificationRoutes;
  isShuttingDown: () => boolean;
}

/** Largest accepted GraphQL request body; bulk inputs such as customer lists stay well below it. */
const GRAPHQL_BODY_LIMIT = "5mb";

export async function startHttpServer(options: HttpServerOptions): Promise<HttpServer> {
  const { services, schema, verifier } = options;
  const app = express();
  app.disable("x-powered-by");
  const httpServer = http.createServer(app);

  const webSockets = attachWebSocketServer({ httpServer, schema, services, verifier });

  const apollo = new ApolloServer<RequestContext>({
    schema,
    csrfPrevention: true,
    introspection: true,
    validationRules: [depthLimitRule(services.config.maxQueryDepth)],
    includeStacktraceInErrorResponses: false,
    formatError: (formatted, error) => {
      const scope = requestStore.getStore();
      return presentError(formatted, error, scope ?? { locale: "en", requestId: "unknown", logger: services.logger });
    },
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: services.config.shutdownGraceMs }),
      { async serverWillStart() { return { drainServer: () => webSockets.close() }; } },
      requestLoggingPlugin(),
    ],
  });
  await apollo.start();

  app.use(healthRoutes(services.database, options.isShuttingDown));
  app.use("/product-pictures", productPictureRoutes(services.config.dataDir));
  app.use("/exports", orderExportDownloadRoutes(services, verifier));

  // WeChat Pay signs the exact body bytes, so notification routes get the raw Buffer and no JSON parser
  // runs before them.
  if (options.notificationRoutes) {
    app.use("/wechatpay/notify", express.raw({ type: "*/*", limit: "1mb" }), options.notificationRoutes.router);
  }

  app.use(
    "/graphql",
    express.json({ limit: GRAPHQL_BODY_LIMIT }),
    rejectNulCharacters,
    (request, response, next) => {
      const requestId = requestIdFrom(request.headers);
      const locale = localeFrom(request.headers);
      response.setHeader("x-request-id", requestId);
      requestStore.run({ requestId, locale, logger: services.logger.child({ requestId }) }, next);
    },
    expressMiddleware(apollo, {
      context: async ({ req }) => {
        const scope = requestStore.getStore()!;
        const actor = await authenticate(verifier, req.headers.authorization, scope.locale);
        const context = buildRequestContext(services, scope.requestId, scope.locale, actor);
        scope.logger = context.logger;
        return context;
      },
    }),
  );

  app.use(jsonErrorHandler(services.logger));

  await new Promise<void>((resolve, reject) => {
    httpServer.once("error", (error: NodeJS.ErrnoException) => reject(listenError(error, services.config.host, services.config.port)));
    httpServer.listen(services.config.port, services.config.host, () => resolve());
  });
  const { port } = httpServer.address() as AddressInfo;
  const host = services.config.host === "0.0.0.0" || services.config.host === "::" ? "localhost" : services.config.host;
  services.logger.info({ module: "http", port }, "server listening");

  return {
    url: `http://${host}:${port}`,
    port,
    close: () => apollo.stop(),
  };
}

/** Explain a listen failure in terms of the PORT and HOST settings. */
function listenError(error: NodeJS.ErrnoException, host: string, port: number): Error {
  if (error.code === "EADDRINUSE") return new Error(`PORT ${port} is already in use on ${host}; stop the other process or set PORT to a free port`);
  if (error.code === "EADDRNOTAVAIL" || error.code === "ENOTFOUND" || error.code === "EAI_AGAIN") {
    return new Error(`HOST ${host} is not an address of this machine; set HOST to 0.0.0.0, 127.0.0.1 or one of its addresses`);
  }
  if (error.code === "EACCES") return new Error(`PORT ${port} needs privileges this process lacks; choose a port above 1023`);
  return error;
}

/** Log each operation once with its name, tenant, duration and outcome. */
function requestLoggingPlugin(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart({ contextValue }) {
      const started = performance.now();
      return {
        async willSendResponse({ operationName, response }) {
          const errors =
            response.body.kind === "single" ? (response.body.singleResult.errors?.length ?? 0) : 0;
          contextValue.logger.info(
            {
              module: "graphql",
              operationName: operationName ?? null,
              durationMs: Math.round(performance.now() - started),
              errors,
            },
            "graphql request",
          );
        },
      };
    },
  };
}
