import type { Router } from "express";
import express from "express";
import type { DatabaseHandle } from "../db/client.js";

/**
 * `/healthz` answers while the process runs; `/readyz` only while the database answers, every migration
 * is applied and the server is not shutting down, so a load balancer stops sending traffic first.
 */
export function healthRoutes(database: DatabaseHandle, isShuttingDown: () => boolean): Router {
  const router = express.Router();

  router.get("/healthz", (_request, response) => {
    response.json({ status: "ok" });
  });

  router.get("/readyz", async (_request, response) => {
    if (isShuttingDown()) {
      response.status(503).json({ status: "shutting_down" });
      return;
    }
    const ready = await database.isReady().catch(() => false);
    response.status(ready ? 200 : 503).json({ status: ready ? "ready" : "not_ready", database: ready ? "ok" : "unavailable" });
  });

  return router;
}
