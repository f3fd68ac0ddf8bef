import http from "node:http";
import https from "node:https";

/** Largest response body read into memory; WeChat Pay's JSON and XML responses are far smaller. */
const MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

export interface HttpRequestInput {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body?: Buffer;
  signal: AbortSignal;
  agent: http.Agent;
}

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/**
 * A request that did not produce a full response. `sent` is true when the whole request was handed to
 * the socket, so the server may have acted on it. `aborted` marks an abort through the signal. A reset
 * on a reused keep-alive socket also counts as sent, because the server may have read the request first.
 */
export class HttpTransportError extends Error {
  override readonly name = "HttpTransportError";

  constructor(
    message: string,
    readonly sent: boolean,
    readonly aborted: boolean,
    readonly errorCode?: string,
  ) {
    super(message);
  }
}

/** Sends one HTTP(S) request through `agent` and reads the whole response body. */
export function sendHttpRequest(input: HttpRequestInput): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const transport = input.url.protocol === "https:" ? https : http;
    let sent = false;
    let settled = false;

    const fail = (error: Error & { code?: string }) => {
      if (settled) return;
      settled = true;
      reject(new HttpTransportError(error.message, sent, input.signal.aborted, error.code));
    };

    const request = transport.request(
      {
        protocol: input.url.protocol,
        hostname: input.url.hostname.replace(/^\[(.*)\]$/, "$1"),
        port: input.url.port === "" ? undefined : Number(input.url.port),
        path: input.url.pathname + input.url.search,
        method: input.method,
        headers: input.headers,
        agent: input.agent,
        signal: input.signal,
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_RESPONSE_BYTES) {
            response.destroy(new Error(`response body exceeds ${MAX_RESPONSE_BYTES} bytes`));
            return;
          }
          chunks.push(chunk);
        });
        response.on("error", (error) => fail(error));
        response.on("aborted", () => fail(new Error("response was cut off before its end")));
        response.on("end", () => {
          if (settled) return;
          if (!response.complete) {
            fail(new Error("response was cut off before its end"));
            return;
          }
          settled = true;
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) });
        });
      },
    );

    request.on("finish", () => {
      sent = true;
    });
    request.on("error", (error) => fail(error));
    request.end(input.body);
  });
}
