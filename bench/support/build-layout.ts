import { existsSync, symlinkSync } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * Link bench/.build/drizzle to the migrations folder. The compiled src/db/client.js finds migrations
 * two folders above itself, which is the repository root for dist/ but bench/.build for this build.
 */
export function linkMigrationsIntoBuild(): void {
  if (import.meta.url.endsWith(".ts")) return;
  const link = fileURLToPath(new URL("../../drizzle", import.meta.url));
  if (!existsSync(link)) symlinkSync(fileURLToPath(new URL("../../../../drizzle", import.meta.url)), link, "dir");
}
