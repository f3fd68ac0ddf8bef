import { print, type DocumentNode } from "graphql";

export class DemoGraphQLError extends Error {
  constructor(
    readonly operation: string,
    readonly errors: { message: string; extensions?: Record<string, unknown> }[],
  ) {
    super(`${operation} failed: ${errors.map((error) => error.message).join("; ")}`);
    this.name = "DemoGraphQLError";
  }
}

/**
 * A minimal GraphQL-over-HTTP client with a bearer token, so the demo talks to the server exactly as the
 * dashboards, pages and workflows do.
 */
export class DemoClient {
  constructor(
    private readonly url: string,
    private readonly token: string,
    private readonly language = "zh-CN",
  ) {}

  async request<T>(document: string | DocumentNode, variables: Record<string, unknown> = {}): Promise<T> {
    const query = typeof document === "string" ? document : print(document);
    const response = await this.post(JSON.stringify({ query, variables }));
    const body = (await response.json()) as { data?: T; errors?: { message: string; extensions?: Record<string, unknown> }[] };
    if (body.errors?.length) throw new DemoGraphQLError(operationName(query), body.errors);
    return body.data as T;
  }

  /**
   * POST once, and once more if the connection broke before a response arrived: a reused keep-alive socket
   * can be closed by the server at the same moment. Every demo request is safe to repeat (reads, or
   * mutations with an idempotency key).
   */
  private async post(body: string): Promise<Response> {
    const init = {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${this.token}`, "accept-language": this.language },
      body,
    };
    try {
      return await fetch(this.url, init);
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause;
      if (cause?.code !== "ECONNRESET" && cause?.code !== "UND_ERR_SOCKET") throw error;
      return fetch(this.url, init);
    }
  }
}

function operationName(query: string): string {
  return /(?:query|mutation|subscription)\s+(\w+)/.exec(query)?.[1] ?? "operation";
}
