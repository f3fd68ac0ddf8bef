import http from "node:http";

export interface GraphQLResponse<T> {
  data?: T;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

/** Send one GraphQL request over HTTP; throws with the server's messages when the response carries errors. */
export async function graphqlRequest<T = Record<string, any>>(
  url: string,
  token: string,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<T> {
  const response = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as GraphQLResponse<T>;
  if (body.errors?.length || !body.data) {
    throw new Error(`GraphQL request failed (HTTP ${response.status}): ${JSON.stringify(body.errors ?? body)}`);
  }
  return body.data;
}

/** Throw unless a mutation payload has no userErrors, naming them. */
export function assertNoUserErrors(payload: { userErrors?: unknown[] } | null | undefined, operation: string): void {
  if (payload?.userErrors && payload.userErrors.length > 0) {
    throw new Error(`${operation} returned userErrors: ${JSON.stringify(payload.userErrors)}`);
  }
}

/** Field names of the root Query, Mutation and Subscription types, read by introspection. */
export async function rootFields(url: string, token: string): Promise<Set<string>> {
  const data = await graphqlRequest<{ __schema: Record<string, { fields: { name: string }[] } | null> }>(
    url,
    token,
    `{ __schema { queryType { fields { name } } mutationType { fields { name } } subscriptionType { fields { name } } } }`,
  );
  const names = new Set<string>();
  for (const type of Object.values(data.__schema)) {
    for (const field of type?.fields ?? []) names.add(field.name);
  }
  return names;
}

/**
 * Create a POST client for load generation: kept-alive sockets and no parsing beyond the status, so the
 * client spends as little CPU as possible next to the server on a small machine.
 */
export function createPoster(url: string, headers: Record<string, string>, maxSockets: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets });
  const target = new URL(url);

  return {
    post(body: string): Promise<string> {
      return new Promise((resolve, reject) => {
        const request = http.request(
          {
            agent,
            host: target.hostname,
            port: target.port,
            path: target.pathname + target.search,
            method: "POST",
            headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body), ...headers },
          },
          (response) => {
            const chunks: Buffer[] = [];
            response.on("data", (chunk: Buffer) => chunks.push(chunk));
            response.on("end", () => {
              const text = Buffer.concat(chunks).toString("utf8");
              if (response.statusCode !== 200) reject(new Error(`HTTP ${response.statusCode}: ${text.slice(0, 300)}`));
              else resolve(text);
            });
            response.on("error", reject);
          },
        );
        request.on("error", reject);
        request.end(body);
      });
    },
    close(): void {
      agent.destroy();
    },
  };
}
