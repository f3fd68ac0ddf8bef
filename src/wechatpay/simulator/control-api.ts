import type { IncomingMessage, ServerResponse } from "node:http";
import { SimulatorUsageError } from "./errors.js";
import type { FaultInput } from "./faults.js";
import { readRawBody } from "./http-body.js";
import type { WechatPaySimulator } from "./index.js";
import type { CreateMerchantInput } from "./merchants.js";
import type { SigningMode, StockStatus } from "./store.js";
import type { CreateStockInput } from "./vouchers.js";

type ControlBody = Record<string, unknown>;
type ControlHandler = (simulator: WechatPaySimulator, body: ControlBody, params: Record<string, string>) => unknown;

/**
 * The `/_simulator` control API: the test API as JSON over HTTP, for demos and for clients in other
 * processes. It has no authentication because the simulator listens on loopback only.
 */
const CONTROL_ROUTES: Record<string, ControlHandler> = {
  "GET /_simulator": (simulator) => ({
    apiBaseUrl: simulator.apiBaseUrl,
    apiV2BaseUrl: simulator.apiV2BaseUrl,
    tlsCaPem: simulator.tlsCaPem,
    platform: simulator.platform,
  }),
  "POST /_simulator/merchants": (simulator, body) => simulator.createMerchant(body as CreateMerchantInput),
  "GET /_simulator/merchants/:mchid": (simulator, _body, params) => simulator.state.merchant(params.mchid!),
  "POST /_simulator/merchants/:mchid/balance": (simulator, body, params) => ({
    balance: simulator.topUpBalance(params.mchid!, requireNumber(body, "amount")),
  }),
  "POST /_simulator/merchants/:mchid/signing-mode": (simulator, body, params) => {
    simulator.setSigningMode(params.mchid!, body.signingMode as SigningMode);
    return simulator.state.merchant(params.mchid!);
  },
  "POST /_simulator/merchants/:mchid/stocks": (simulator, body, params) => simulator.createStock(params.mchid!, body as unknown as CreateStockInput),
  "POST /_simulator/merchants/:mchid/stocks/:stock_id/status": (simulator, body, params) =>
    simulator.setStockStatus(params.mchid!, params.stock_id!, body.status as StockStatus),
  "POST /_simulator/customer/openids": (simulator, body) => ({ openid: simulator.customer.openid(requireText(body, "appid")) }),
  "POST /_simulator/customer/orders/pay": (simulator, body) =>
    simulator.customer.payOrder(requireText(body, "mchid"), requireText(body, "out_trade_no"), {
      openid: optionalText(body, "openid"),
      coupon_id: optionalText(body, "coupon_id"),
    }),
  "POST /_simulator/customer/red-packets/open": (simulator, body) =>
    simulator.customer.openRedPacket(requireText(body, "mchid"), requireText(body, "mch_billno")),
  "POST /_simulator/customer/transfers/confirm": (simulator, body) =>
    simulator.customer.confirmTransfer(requireText(body, "mchid"), requireText(body, "out_bill_no")),
  "POST /_simulator/customer/transfers/reject": (simulator, body) =>
    simulator.customer.rejectTransfer(requireText(body, "mchid"), requireText(body, "out_bill_no"), optionalText(body, "fail_reason")),
  "POST /_simulator/time/advance": (simulator, body) => {
    simulator.advanceTime(requireNumber(body, "ms"));
    return { advancedMs: body.ms };
  },
  "POST /_simulator/faults": (simulator, body) => {
    simulator.faults.inject(body as unknown as FaultInput);
    return { armed: true };
  },
  "DELETE /_simulator/faults": (simulator) => {
    simulator.faults.clear();
    return { cleared: true };
  },
  "GET /_simulator/state": (simulator) => ({
    created: simulator.state.created(),
    orders: simulator.state.orders(),
    refunds: simulator.state.refunds(),
    stocks: simulator.state.stocks(),
    coupons: simulator.state.coupons(),
    redPackets: simulator.state.redPackets(),
    transfers: simulator.state.transfers(),
  }),
  "GET /_simulator/notifications": (simulator) => ({ deliveries: simulator.notifications.deliveries }),
  "POST /_simulator/notifications/flush": async (simulator) => {
    await simulator.notifications.flush();
    return { deliveries: simulator.notifications.deliveries.length };
  },
};

const COMPILED_ROUTES = Object.entries(CONTROL_ROUTES).map(([key, handler]) => {
  const [method, path] = key.split(" ") as [string, string];
  const pattern = new RegExp(`^${path.replace(/:([a-z_]+)/g, (_match, name: string) => `(?<${name}>[^/]+)`)}$`);
  return { method, pattern, handler };
});

export async function handleControlRequest(simulator: WechatPaySimulator, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const path = (request.url ?? "/").split("?")[0]!.replace(/\/$/, "");

  try {
    const route = COMPILED_ROUTES.find((candidate) => candidate.method === request.method && candidate.pattern.test(path));
    if (route === undefined) throw new SimulatorUsageError(`no control endpoint ${request.method} ${path}`, 404);

    const params = Object.fromEntries(
      Object.entries(route.pattern.exec(path)!.groups ?? {}).map(([name, value]) => [name, decodeURIComponent(value)]),
    );
    const raw = (await readRawBody(request)).toString("utf8");
    let body: ControlBody = {};
    if (raw !== "") {
      try {
        body = JSON.parse(raw) as ControlBody;
      } catch {
        throw new SimulatorUsageError("control request body must be JSON");
      }
    }

    sendJson(response, 200, (await route.handler(simulator, body, params)) ?? {});
  } catch (error) {
    if (error instanceof SimulatorUsageError || error instanceof RangeError) {
      sendJson(response, error instanceof SimulatorUsageError ? error.status : 400, { error: error.message });
      return;
    }
    throw error;
  }
}

function requireText(body: ControlBody, field: string): string {
  const value = body[field];
  if (typeof value !== "string" || value === "") throw new SimulatorUsageError(`${field} is required and must be a string`);
  return value;
}

function optionalText(body: ControlBody, field: string): string | undefined {
  const value = body[field];
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw new SimulatorUsageError(`${field} must be a string`);
  return value;
}

function requireNumber(body: ControlBody, field: string): number {
  const value = body[field];
  if (typeof value !== "number") throw new SimulatorUsageError(`${field} is required and must be a number`);
  return value;
}

function sendJson(response: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value, null, 2);
  response.writeHead(status, { "Content-Type": "application/json; charset=utf-8", "Content-Length": String(Buffer.byteLength(body)) });
  response.end(body);
}
