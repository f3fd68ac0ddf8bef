import { Field, ID, InterfaceType } from "type-graphql";

/** Every object with a global id. `__typename` tells GraphQL which concrete type a resolved node is. */
@InterfaceType({
  resolveType: (value: { __typename?: string }) => value.__typename,
  description: "An object with an opaque global id that refetches it through the node query.",
})
export abstract class Node {
  @Field(() => ID)
  id!: string;
}
