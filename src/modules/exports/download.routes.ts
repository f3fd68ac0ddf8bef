import { createReadStream } from "node:fs";
import { access } from "node:fs/promises";
import path from "node:path";
import express, { type Response, type Router } from "express";
import type { AppServices } from "../../app/services.js";
import { Audience } from "../../auth/auth-checker.js";
import { bearerToken } from "../../auth/bearer.js";
import type { TokenVerifier } from "../../auth/token-verifier.js";
import { TenantScope } from "../../db/tenant-scope.js";
import { findJob } from "../jobs/job.repository.js";
import { checkDownloadLink } from "./download-link.js";
import { exportDirectory } from "./order-export.job.js";
import { ORDER_EXPORT_JOB_KIND } from "./order-export.service.js";
import type { OrderExportResult } from "./order-export.type.js";

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const CONTENT_TYPES = {
  CSV: "text/csv; charset=utf-8",
  XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
} as const;

function reject(response: Response, status: number, message: string): void {
  response.status(status).json({ error: message });
}

/**
 * GET /exports/orders/{exportId}?expires=…&signature=…: streams a finished export. Both the signed link
 * (bound to the tenant and the export, and expiring) and a bearer token of that tenant with a staff role
 * are required, so a leaked link alone downloads nothing.
 */
export function orderExportDownloadRoutes(services: AppServices, verifier: TokenVerifier): Router {
  const router = express.Router();

  router.get("/orders/:exportId", async (request, response) => {
    const exportId = String(request.params["exportId"]);
    const token = bearerToken(request.headers.authorization);
    if (!token) {
      response.setHeader("www-authenticate", "Bearer");
      reject(response, 401, "send the bearer token of the tenant that requested the export");
      return;
    }

    let actor;
    try {
      actor = await verifier.verify(token);
    } catch {
      response.setHeader("www-authenticate", 'Bearer error="invalid_token"');
      reject(response, 401, "the bearer token is invalid or expired");
      return;
    }
    if (!actor.roles.some((role) => (Audience.staffRead as readonly string[]).includes(role))) {
      reject(response, 403, "exports are for admins, marketers and analysts");
      return;
    }

    const link = {
      tenantId: actor.tenantId,
      exportId,
      expires: typeof request.query["expires"] === "string" ? request.query["expires"] : undefined,
      signature: typeof request.query["signature"] === "string" ? request.query["signature"] : undefined,
    };
    const check = checkDownloadLink(services.secretsKey, link, services.now());
    if (check === "EXPIRED") {
      reject(response, 410, "the download link has expired; query the export again for a new one");
      return;
    }
    if (check === "INVALID" || !UUID_PATTERN.test(exportId)) {
      reject(response, 403, "the download link is not valid for this tenant");
      return;
    }

    const job = await findJob(new TenantScope(actor.tenantId, services.db), exportId);
    const result = job?.kind === ORDER_EXPORT_JOB_KIND && job.status === "SUCCEEDED" ? (job.result as unknown as OrderExportResult) : undefined;
    const filePath = result ? path.join(exportDirectory(services.config.dataDir), result.fileName) : undefined;
    if (!result || !filePath || !(await exists(filePath))) {
      reject(response, 404, "no finished export with this id");
      return;
    }

    response.setHeader("content-type", CONTENT_TYPES[result.format]);
    response.setHeader("content-length", String(result.bytes));
    response.setHeader("content-disposition", `attachment; filename="orders-${exportId.slice(0, 8)}.${result.format.toLowerCase()}"`);
    response.setHeader("cache-control", "private, no-store");
    response.setHeader("x-content-type-options", "nosniff");
    response.setHeader("x-checksum-sha256", result.sha256);
    services.logger.info({ module: "exports", tenantId: actor.tenantId, jobId: exportId, subject: actor.subject }, "order export downloaded");

    const stream = createReadStream(filePath);
    stream.on("error", (error) => {
      services.logger.error({ module: "exports", jobId: exportId, err: error }, "reading an export file failed");
      response.destroy(error);
    });
    stream.pipe(response);
  });

  return router;
}

async function exists(filePath: string): Promise<boolean> {
  try {
    await access(filePath);
    return true;
  } catch {
    return false;
  }
}
