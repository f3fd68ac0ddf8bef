import { GraphQLError, GraphQLScalarType, Kind } from "graphql";
import { DomainError } from "../errors.js";

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
      throw new DomainError("BAD_USER_INPUT", "INVALID_FEN", "error.invalidFen", { value: "value" in ast ? String(ast.value) : ast.kind });
    }
    return parseFen(Number(ast.value));
  },
});

function parseFen(value: unknown): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    // A DomainError, so the message reaches the caller in their language like every other bad input.
    throw new DomainError("BAD_USER_INPUT", "INVALID_FEN", "error.invalidFen", { value: JSON.stringify(value) ?? String(value) });
  }
  return value;
}
