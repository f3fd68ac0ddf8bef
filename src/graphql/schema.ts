import "reflect-metadata";
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from "graphql";
import { buildSchema } from "type-graphql";
import { authChecker } from "../auth/auth-checker.js";
import type { AppPubSub } from "../realtime/pubsub.js";
import { resolvers } from "./resolvers.js";

/**
 * Build the executable schema. The same function serves the server, the tests and `npm run schema`, so
 * the committed SDL is exactly what runs.
 */
export async function buildAppSchema(pubSub: AppPubSub): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers,
    authChecker,
    pubSub,
    // Validation errors would otherwise echo the whole input object back, including any secret in it.
    validate: { forbidUnknownValues: false, validationError: { target: false, value: false } },
  });
}

/** The schema as committed SDL: sorted so that the file changes only when the schema does. */
export function printAppSchema(schema: GraphQLSchema): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
