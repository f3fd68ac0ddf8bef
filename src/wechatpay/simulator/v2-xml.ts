import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { XMLParser } from "fast-xml-parser";

export type V2SignType = "MD5" | "HMAC-SHA256";

/**
 * Computes an APIv2 sign: non-empty fields except `sign`, sorted by name in ASCII order, joined as
 * `k=v&…`, then `&key=<APIv2 key>`. HMAC-SHA256 keeps the `&key=` suffix inside its input too.
 */
export function computeV2Sign(fields: Record<string, string>, apiV2Key: string, signType: V2SignType): string {
  const names = Object.keys(fields)
    .filter((name) => name !== "sign" && fields[name] !== "")
    .sort();
  const message = `${names.map((name) => `${name}=${fields[name]}`).join("&")}&key=${apiV2Key}`;

  if (signType === "MD5") return createHash("md5").update(message, "utf8").digest("hex").toUpperCase();
  return createHmac("sha256", apiV2Key).update(message, "utf8").digest("hex").toUpperCase();
}

export function v2SignMatches(fields: Record<string, string>, apiV2Key: string, signType: V2SignType): boolean {
  const given = Buffer.from(fields.sign ?? "", "utf8");
  const expected = Buffer.from(computeV2Sign(fields, apiV2Key, signType), "utf8");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const parser = new XMLParser({
  parseTagValue: false,
  processEntities: false,
  ignoreDeclaration: true,
  trimValues: false,
});

/**
 * Parses a flat `<xml>…</xml>` body into string fields. Returns undefined for anything else, including
 * documents with a DOCTYPE, which is where XML entity attacks live. `hblist` style nesting is not
 * accepted in requests.
 */
export function parseV2Xml(body: string): Record<string, string> | undefined {
  if (body.trim() === "" || /<!DOCTYPE/i.test(body) || /<!ENTITY/i.test(body)) return undefined;

  let document: unknown;
  try {
    document = parser.parse(body);
  } catch {
    return undefined;
  }

  const root = (document as { xml?: unknown }).xml;
  if (root === null || typeof root !== "object") return undefined;

  const fields: Record<string, string> = {};
  for (const [name, value] of Object.entries(root)) {
    // Whitespace between elements is layout, not a field.
    if (name === "#text" && typeof value === "string" && value.trim() === "") continue;
    if (name === "#text" || typeof value !== "string") return undefined;
    fields[name] = value;
  }
  return fields;
}

/** A v2 response element: a plain value, or nested elements such as `hblist.hbinfo[]`. */
export type V2Value = string | number | V2Element | V2Element[];
export interface V2Element {
  [name: string]: V2Value | undefined;
}

/** Serialises a response the way WeChat Pay writes them: CDATA for text, bare numbers. */
export function buildV2Xml(fields: V2Element): string {
  return `<xml>\n${renderElements(fields)}</xml>`;
}

function renderElements(fields: V2Element): string {
  let xml = "";
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) {
      for (const item of value) xml += `<${name}>\n${renderElements(item)}</${name}>\n`;
    } else if (typeof value === "object") {
      xml += `<${name}>\n${renderElements(value)}</${name}>\n`;
    } else if (typeof value === "number") {
      xml += `<${name}>${value}</${name}>\n`;
    } else {
      xml += `<${name}><![CDATA[${value.replaceAll("]]>", "]]]]><![CDATA[>")}]]></${name}>\n`;
    }
  }
  return xml;
}
