import type { IncomingMessage } from "node:http";

/** Largest request body the simulator reads; WeChat Pay's JSON and XML bodies are far smaller. */
const MAX_BODY_BYTES = 1_048_576;

export class BodyTooLargeError extends Error {}

/** Reads the raw request bytes; signatures are checked over exactly these. */
export function readRawBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new BodyTooLargeError(`request body exceeds ${MAX_BODY_BYTES} bytes`));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on("end", () => resolve(Buffer.concat(chunks)));
    request.on("error", reject);
  });
}
