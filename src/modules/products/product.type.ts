import { Field, Int, ObjectType, registerEnumType } from "type-graphql";
import { DateTimeResolver } from "graphql-scalars";
import { connectionType } from "../../graphql/relay/connection.js";
import { toGlobalId } from "../../graphql/relay/global-id.js";
import { Node } from "../../graphql/relay/node.js";
import { FenScalar } from "../../graphql/scalars/fen.js";
import { storedPictureUrl } from "./product-picture.js";
import type { ProductRow, ProductStatus } from "./product.table.js";

export const ProductStatusEnum = { ON_SALE: "ON_SALE", OFF_SALE: "OFF_SALE" } as const;
registerEnumType(ProductStatusEnum, { name: "ProductStatus", description: "Whether pages offer the product." });

@ObjectType("ProductAttribute", { description: "A free-form property of a product, such as 颜色 = 红色." })
export class ProductAttributeType {
  @Field(() => String)
  key!: string;

  @Field(() => String)
  value!: string;
}

/** Return the picture address a client shows: the external URL, or where this server serves the upload. */
export function pictureUrlOf(row: Pick<ProductRow, "pictureUrl" | "pictureFile">, publicBaseUrl: string): string | null {
  if (row.pictureFile) return storedPictureUrl(publicBaseUrl, row.pictureFile);
  return row.pictureUrl;
}

@ObjectType({ implements: Node, description: "A product sold on WeChat pages and paid to a merchant account." })
export class Product extends Node {
  readonly __typename = "Product";
  rowId!: string;
  merchantAccountRowId!: string;
  campaignRowId!: string | null;

  @Field(() => String)
  name!: string;

  @Field(() => String)
  introduction!: string;

  @Field(() => [String])
  labels!: string[];

  @Field(() => FenScalar, { description: "Unit price." })
  price!: number;

  @Field(() => Int, { description: "Items still for sale; unpaid orders hold theirs until they expire." })
  stock!: number;

  @Field(() => ProductStatusEnum)
  status!: ProductStatus;

  @Field(() => [ProductAttributeType])
  attributes!: ProductAttributeType[];

  @Field(() => String, { nullable: true, description: "The uploaded picture served by this server, or the external URL." })
  pictureUrl!: string | null;

  @Field(() => DateTimeResolver)
  createdAt!: Date;

  @Field(() => DateTimeResolver)
  updatedAt!: Date;

  static fromRow(row: ProductRow, publicBaseUrl: string): Product {
    return Object.assign(new Product(), {
      id: toGlobalId("Product", row.id),
      rowId: row.id,
      merchantAccountRowId: row.merchantAccountId,
      campaignRowId: row.campaignId,
      name: row.name,
      introduction: row.introduction,
      labels: row.labels,
      price: row.price,
      stock: row.stock,
      status: row.status,
      attributes: row.attributes,
      pictureUrl: pictureUrlOf(row, publicBaseUrl),
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
    });
  }
}

export const ProductConnection = connectionType("Product", Product);

@ObjectType({ description: "What a WeChat page shows of an on-sale product." })
export class PageProduct {
  @Field(() => String, { description: "Global id of the product; pass it to checkout." })
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String)
  introduction!: string;

  @Field(() => [String])
  labels!: string[];

  @Field(() => FenScalar)
  price!: number;

  @Field(() => Int)
  stock!: number;

  @Field(() => Boolean)
  soldOut!: boolean;

  @Field(() => [ProductAttributeType])
  attributes!: ProductAttributeType[];

  @Field(() => String, { nullable: true })
  pictureUrl!: string | null;

  static fromRow(row: ProductRow, publicBaseUrl: string): PageProduct {
    return Object.assign(new PageProduct(), {
      id: toGlobalId("Product", row.id),
      name: row.name,
      introduction: row.introduction,
      labels: row.labels,
      price: row.price,
      stock: row.stock,
      soldOut: row.stock === 0,
      attributes: row.attributes,
      pictureUrl: pictureUrlOf(row, publicBaseUrl),
    });
  }
}
