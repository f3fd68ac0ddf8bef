import express, { type Request, type Response, type Router } from "express";
import type { Logger } from "../logging/logger.js";

/** What a handler tells WeChat Pay: 2xx means "received, stop retrying"; anything else asks for a retry. */
export type NotificationOutcome = { status: 200 | 204 } | { status: 400 | 401 | 404 | 500; message: string };

/**
 * Handles one kind of WeChat Pay notification (payment, refund, coupon use, transfer) for one merchant
 * account. It receives the raw body bytes because the signature covers exactly those bytes.
 */
export type NotificationHandler = (input: {
  merchantAccountId: string;
  headers: Request["headers"];
  rawBody: Buffer;
}) => Promise<NotificationOutcome>;

export interface NotificationRoutes {
  router: Router;
  register(kind: string, handler: NotificationHandler): void;
}

/** Routes of the form POST /wechatpay/notify/{kind}/{merchantAccountId}. */
export function createNotificationRoutes(logger: Logger): NotificationRoutes {
  const handlers = new Map<string, NotificationHandler>();
  const router = express.Router();

  router.post("/:kind/:merchantAccountId", async (request: Request, response: Response) => {
    const kind = String(request.params["kind"]);
    const merchantAccountId = String(request.params["merchantAccountId"]);
    const handler = handlers.get(kind);
    if (!handler) {
      response.status(404).json({ code: "FAIL", message: `unknown notification kind ${kind}` });
      return;
    }
    if (!Buffer.isBuffer(request.body)) {
      response.status(400).json({ code: "FAIL", message: "empty notification body" });
      return;
    }

    try {
      const outcome = await handler({ merchantAccountId, headers: request.headers, rawBody: request.body });
      if ("message" in outcome) {
        response.status(outcome.status).json({ code: "FAIL", message: outcome.message });
        return;
      }
      response.status(outcome.status).end();
    } catch (error) {
      logger.error({ module: "wechatpay-notify", kind, merchantAccountId, err: error }, "notification handler failed");
      response.status(500).json({ code: "FAIL", message: "internal error; retry later" });
    }
  });

  return { router, register: (kind, handler) => void handlers.set(kind, handler) };
}
