import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * Read a random key kept under the data directory, creating it on first use. The embedded mode uses this
 * for the credential-encryption key and the development JWT secret, so a restart keeps both.
 * The file holds base64 text and is readable by the owner only.
 */
export function loadOrCreateLocalKey(dataDir: string, fileName: string, bytes: number): Buffer {
  const file = path.join(dataDir, fileName);
  if (existsSync(file)) {
    const key = Buffer.from(readFileSync(file, "utf8").trim(), "base64");
    if (key.length !== bytes) {
      throw new Error(`${file} does not hold a ${bytes}-byte base64 key; delete it to generate a new one`);
    }
    return key;
  }

  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(bytes);
  // "wx" fails if another process created the file in the meantime, instead of overwriting its key.
  try {
    writeFileSync(file, `${key.toString("base64")}\n`, { flag: "wx", mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return loadOrCreateLocalKey(dataDir, fileName, bytes);
    throw error;
  }
  chmodSync(file, 0o600);
  return key;
}

export const SECRETS_KEY_FILE = "secrets.key";
export const DEV_JWT_SECRET_FILE = "dev-jwt-secret";
