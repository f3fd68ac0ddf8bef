import { GraphQLError, Kind, type ASTNode, type FragmentDefinitionNode, type ValidationContext, type ValidationRule } from "graphql";
import { translate } from "../i18n/messages.js";
import type { Locale } from "../i18n/locale.js";
import { requestStore } from "../http/request-store.js";

/**
 * Reject operations nested deeper than `maxDepth` fields, following fragments. The message follows the
 * language of the HTTP request being validated, or `locale` where there is none (WebSocket). Introspection fields
 * (`__schema`, `__type`) are exempt because tools nest them deeply by design.
 */
export function depthLimitRule(maxDepth: number, locale: Locale = "en"): ValidationRule {
  return (context: ValidationContext) => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const definition of context.getDocument().definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    }

    const measure = (node: ASTNode, depth: number, visited: Set<string>): number => {
      switch (node.kind) {
        case Kind.FIELD: {
          if (node.name.value.startsWith("__")) return depth;
          if (!node.selectionSet) return depth + 1;
          return Math.max(depth + 1, ...node.selectionSet.selections.map((child) => measure(child, depth + 1, visited)));
        }
        case Kind.INLINE_FRAGMENT:
        case Kind.OPERATION_DEFINITION:
          return Math.max(depth, ...node.selectionSet.selections.map((child) => measure(child, depth, visited)));
        case Kind.FRAGMENT_SPREAD: {
          const name = node.name.value;
          const fragment = fragments.get(name);
          if (!fragment || visited.has(name)) return depth;
          const next = new Set(visited).add(name);
          return Math.max(depth, ...fragment.selectionSet.selections.map((child) => measure(child, depth, next)));
        }
        default:
          return depth;
      }
    };

    return {
      OperationDefinition(operation) {
        const depth = measure(operation, 0, new Set());
        if (depth > maxDepth) {
          context.reportError(
            new GraphQLError(translate(requestStore.getStore()?.locale ?? locale, "error.queryTooDeep", { depth, max: maxDepth }), {
              nodes: [operation],
              extensions: { code: "BAD_USER_INPUT", reason: "QUERY_TOO_DEEP" },
            }),
          );
        }
      },
    };
  };
}
