import { XMLBuilder, XMLParser } from "fast-xml-parser";

import { WechatPayProgrammingError } from "./errors.js";

// Values stay strings (no number or boolean guessing) and only the five predefined XML entities are
// decoded. Documents with a DOCTYPE are rejected before parsing, so no entity can be declared at all.
const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  parseAttributeValue: false,
  processEntities: true,
  htmlEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  trimValues: true,
  isArray: (_name, jpath) => jpath === "xml.hblist.hbinfo",
});

const builder = new XMLBuilder({ format: false, suppressEmptyNode: false, processEntities: true });

export type XmlValue = string | XmlObject | XmlValue[];
export interface XmlObject {
  [name: string]: XmlValue;
}

/** Builds an APIv2 `<xml>` document from flat string fields, skipping undefined ones. */
export function buildV2Xml(fields: Readonly<Record<string, string | undefined>>): string {
  const content: Record<string, string> = {};
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      throw new WechatPayProgrammingError(`invalid XML field name ${JSON.stringify(name)}`);
    }
    content[name] = value;
  }
  return builder.build({ xml: content }) as string;
}

/** Parses an APIv2 `<xml>` response into its child elements; throws on DOCTYPE, entities or a wrong root. */
export function parseV2Xml(text: string): XmlObject {
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) {
    throw new Error("XML with a DOCTYPE or entity declaration is not accepted");
  }

  const parsed = parser.parse(text, true) as unknown;
  const root = (parsed as { xml?: unknown } | null)?.xml;
  if (root === undefined || root === null || typeof root !== "object" || Array.isArray(root)) {
    throw new Error("XML document has no <xml> root element with children");
  }
  return root as XmlObject;
}

/** Returns the flat string fields of a parsed `<xml>` element, skipping nested elements. */
export function flatXmlFields(root: XmlObject): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [name, value] of Object.entries(root)) {
    if (typeof value === "string") fields[name] = value;
  }
  return fields;
}
