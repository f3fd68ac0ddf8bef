import { DomainError } from "../errors.js";

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Opaque id of a node: base64url of "Type:uuid". Clients must not build or parse it. */
export function toGlobalId(typeName: string, id: string): string {
  return Buffer.from(`${typeName}:${id}`, "utf8").toString("base64url");
}

/** Decode a global id into its type and row id, or undefined when it is not one of ours. */
export function decodeGlobalId(globalId: string): { typeName: string; id: string } | undefined {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(globalId)) return undefined;
  const decoded = Buffer.from(globalId, "base64url").toString("utf8");
  const separator = decoded.indexOf(":");
  if (separator <= 0) return undefined;
  const typeName = decoded.slice(0, separator);
  const id = decoded.slice(separator + 1);
  if (!UUID_PATTERN.test(id)) return undefined;
  return { typeName, id };
}

/** Row id of a global id that must name the given type; throws BAD_USER_INPUT otherwise. */
export function parseGlobalId(typeName: string, globalId: string, field = "id"): string {
  const decoded = decodeGlobalId(globalId);
  if (!decoded || decoded.typeName !== typeName) {
    throw new DomainError("BAD_USER_INPUT", "INVALID_ID", "error.invalidId", { id: globalId, type: typeName }, { field });
  }
  return decoded.id;
}
