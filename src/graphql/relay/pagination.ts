import { DomainError } from "../errors.js";

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** Position after which the next page starts: the sort key of the last row seen and its id. */
export interface Cursor {
  key: string | number;
  id: string;
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.key, cursor.id]), "utf8").toString("base64url");
}

export function decodeCursor(value: string): Cursor {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(value, "base64url").toString("utf8"));
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      (typeof parsed[0] === "string" || typeof parsed[0] === "number") &&
      typeof parsed[1] === "string"
    ) {
      return { key: parsed[0], id: parsed[1] };
    }
  } catch {
    // Falls through to the error below.
  }
  throw new DomainError("BAD_USER_INPUT", "INVALID_CURSOR", "error.invalidCursor", { cursor: value }, { field: "after" });
}

/** Validate `first`; the page query fetches one row more than this to learn whether a next page exists. */
export function pageSize(first: number | null | undefined, max = MAX_PAGE_SIZE): number {
  const size = first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(size) || size < 1 || size > max) {
    throw new DomainError("BAD_USER_INPUT", "INVALID_PAGE_SIZE", "error.pageSize", { max, value: size }, { field: "first" });
  }
  return size;
}

/** Turn rows fetched with `limit size + 1` into a connection page. */
export function toConnection<TRow, TNode>(
  rows: TRow[],
  size: number,
  totalCount: number,
  hasPrevious: boolean,
  cursorOf: (row: TRow) => Cursor,
  toNode: (row: TRow) => TNode,
) {
  const page = rows.slice(0, size);
  const edges = page.map((row) => ({ cursor: encodeCursor(cursorOf(row)), node: toNode(row) }));
  return {
    edges,
    totalCount,
    pageInfo: {
      hasNextPage: rows.length > size,
      hasPreviousPage: hasPrevious,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}
