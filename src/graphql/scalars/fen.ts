import { GraphQLError, GraphQLScalarType, Kind } from "graphql";

/** Money in fen (分, 1/100 yuan): a non-negative whole number, so no amount is ever a float. */
export const FenScalar = new GraphQLScalarType<number, number>({
  name: "Fen",
  description: "An amount of money in fen (分, 1/100 of a yuan): a non-negative safe integer.",

  serialize(value) {
    if (typeof value === "bigint") value = Number(value);
    if (typeof value === "string" && /^\d+$/.test(value)) value = Number(value);
    if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
      throw new GraphQLError(`Fen cannot represent ${String(value)}: amounts must be non-negative whole fen`);
    }
    return value;
  },

  parseValue(value) {
    return parseFen(value);
  },

  parseLiteral(ast) {
    if (ast.kind !== Kind.INT) {
      throw new GraphQLError(`Fen must be a non-negative integer number of fen, but got a ${ast.kind} literal`, {
        nodes: ast,
      });
    }
    return parseFen(Number(ast.value));
  },
});

function parseFen(value: unknown): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    throw new GraphQLError(
      `Fen must be a non-negative integer number of fen (1 yuan = 100), but got ${JSON.stringify(value)}`,
    );
  }
  return value;
}
