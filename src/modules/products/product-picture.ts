import { randomUUID } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import express, { type Router } from "express";

/** Largest accepted picture upload: 2 MB. */
export const MAX_PICTURE_BYTES = 2 * 1024 * 1024;

/** Longest accepted picture URL, in characters. */
export const MAX_PICTURE_URL_LENGTH = 2048;

const EXTENSIONS = { "image/jpeg": "jpg", "image/png": "png", "image/webp": "webp", "image/gif": "gif" } as const;
export type PictureContentType = keyof typeof EXTENSIONS;

const CONTENT_TYPES: Record<string, PictureContentType> = { jpg: "image/jpeg", png: "image/png", webp: "image/webp", gif: "image/gif" };
const STORED_FILE_NAME = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.(jpg|png|webp|gif)$/;

/**
 * Detect the picture type from the file's first bytes (its magic number). Returns undefined for
 * anything that is not a JPEG, PNG, WebP or GIF, whatever type the client claims.
 */
export function sniffPictureType(bytes: Buffer): PictureContentType | undefined {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return "image/jpeg";
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) {
    return "image/png";
  }
  if (bytes.length >= 6 && ["GIF87a", "GIF89a"].includes(bytes.subarray(0, 6).toString("latin1"))) return "image/gif";
  if (bytes.length >= 12 && bytes.subarray(0, 4).toString("latin1") === "RIFF" && bytes.subarray(8, 12).toString("latin1") === "WEBP") {
    return "image/webp";
  }
  return undefined;
}

export type DecodedPicture =
  | { ok: true; bytes: Buffer; contentType: PictureContentType }
  | { ok: false; problem: "ENCODING" | "TOO_LARGE" | "TYPE"; size?: number };

/**
 * Decode a base64 picture (a `data:…;base64,` prefix is allowed) and check its size and type. The size
 * is checked from the text length first, so an oversized upload is rejected without decoding it.
 */
export function decodePicture(base64: string): DecodedPicture {
  const text = base64.replace(/^data:[\w/+.-]*;base64,/, "").replace(/\s+/g, "");
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0 || text.length === 0) {
    return { ok: false, problem: "ENCODING" };
  }

  const size = (text.length / 4) * 3 - (text.endsWith("==") ? 2 : text.endsWith("=") ? 1 : 0);
  if (size > MAX_PICTURE_BYTES) return { ok: false, problem: "TOO_LARGE", size };

  const bytes = Buffer.from(text, "base64");
  const contentType = sniffPictureType(bytes);
  if (!contentType) return { ok: false, problem: "TYPE" };
  return { ok: true, bytes, contentType };
}

export function pictureDirectory(dataDir: string): string {
  return path.resolve(dataDir, "product-pictures");
}

/** Write an accepted picture under DATA_DIR/product-pictures with a random name; returns the name. */
export async function storePicture(dataDir: string, picture: { bytes: Buffer; contentType: PictureContentType }): Promise<string> {
  const directory = pictureDirectory(dataDir);
  await mkdir(directory, { recursive: true });
  const fileName = `${randomUUID()}.${EXTENSIONS[picture.contentType]}`;
  await writeFile(path.join(directory, fileName), picture.bytes, { flag: "wx" });
  return fileName;
}

/** Public address of an uploaded picture. */
export function storedPictureUrl(publicBaseUrl: string, fileName: string): string {
  return `${publicBaseUrl}/product-pictures/${fileName}`;
}

/**
 * GET /product-pictures/{file}: serves uploaded pictures to WeChat pages without a token, because the
 * page's <img> cannot send one. Names are random UUIDs, so a picture is found only through its product.
 */
export function productPictureRoutes(dataDir: string): Router {
  const router = express.Router();
  router.get("/:file", (request, response) => {
    const fileName = String(request.params["file"]);
    if (!STORED_FILE_NAME.test(fileName)) {
      response.status(404).end();
      return;
    }

    const contentType = CONTENT_TYPES[fileName.split(".")[1]!]!;
    response.setHeader("x-content-type-options", "nosniff");
    response.setHeader("content-security-policy", "default-src 'none'");
    response.sendFile(fileName, {
      root: pictureDirectory(dataDir),
      headers: { "content-type": contentType },
      maxAge: "365d",
      immutable: true,
    }, (error) => {
      if (error && !response.headersSent) response.status(404).end();
    });
  });
  return router;
}
