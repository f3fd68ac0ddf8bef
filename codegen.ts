import type { CodegenConfig } from "@graphql-codegen/cli";

/**
 * Typed documents for the tests and example clients: each operation under test/documents becomes a
 * TypedDocumentNode whose result and variable types come from the committed schema.
 */
const config: CodegenConfig = {
  schema: "schema/schema.graphql",
  documents: ["test/documents/**/*.graphql"],
  generates: {
    "test/generated/graphql.ts": {
      plugins: ["typescript-operations", "typed-document-node"],
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        avoidOptionals: { field: true, inputValue: false, object: true },
        scalars: {
          DateTime: "string",
          Fen: "number",
          JSON: "unknown",
          JSONObject: "Record<string, unknown>",
        },
      },
    },
  },
  hooks: { afterAllFileWrite: [] },
};

export default config;
