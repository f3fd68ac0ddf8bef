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
    const response = await fetch(this.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        authorization: `Bearer ${this.token}`,
        "accept-language": this.language,
      },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: T; errors?: { message: string; extensions?: Record<string, unknown> }[] };
    if (body.errors?.length) throw new DemoGraphQLError(operationName(query), body.errors);
    return body.data as T;
  }
}

function operationName(query: string): string {
  return /(?:query|mutation|subscription)\s+(\w+)/.exec(query)?.[1] ?? "operation";
}
