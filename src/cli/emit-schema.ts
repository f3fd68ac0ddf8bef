import "reflect-metadata";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { buildAppSchema, printAppSchema } from "../graphql/schema.js";
import { createAppPubSub } from "../realtime/pubsub.js";

/** Write schema/schema.graphql from the code, or with --check exit 1 when the committed file differs. */
const SCHEMA_FILE = new URL("../../schema/schema.graphql", import.meta.url);

const sdl = printAppSchema(await buildAppSchema(createAppPubSub()));

if (process.argv.includes("--check")) {
  let committed = "";
  try {
    committed = readFileSync(SCHEMA_FILE, "utf8");
  } catch {
    // A missing file differs from any schema.
  }
  if (committed !== sdl) {
    console.error("schema/schema.graphql is out of date; run `npm run schema` and commit the result");
    process.exit(1);
  }
  console.log("schema/schema.graphql is up to date");
} else {
  mkdirSync(new URL("../../schema/", import.meta.url), { recursive: true });
  writeFileSync(SCHEMA_FILE, sdl);
  console.log("wrote schema/schema.graphql");
}
