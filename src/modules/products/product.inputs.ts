import { Field, ID, InputType, Int } from "type-graphql";
import { FenScalar } from "../../graphql/scalars/fen.js";
import { ProductStatusEnum } from "./product.type.js";
import type { ProductStatus } from "./product.table.js";

@InputType()
export class ProductAttributeInput {
  @Field(() => String)
  key!: string;

  @Field(() => String)
  value!: string;
}

@InputType({ description: "A product picture: exactly one of upload and url." })
export class ProductPictureInput {
  @Field(() => String, {
    nullable: true,
    description: "The picture file in base64 (a data: URL prefix is allowed): JPEG, PNG, WebP or GIF of at most 2 MB, checked by its content.",
  })
  upload?: string | null;

  @Field(() => String, { nullable: true, description: "An http(s) address of a picture hosted elsewhere; it is not fetched." })
  url?: string | null;
}

@InputType()
export class CreateProductInput {
  @Field(() => ID, { description: "The merchant account that receives the payments." })
  merchantAccountId!: string;

  @Field(() => ID, { nullable: true })
  campaignId?: string | null;

  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true })
  introduction?: string | null;

  @Field(() => [String], { nullable: true })
  labels?: string[] | null;

  @Field(() => FenScalar)
  price!: number;

  @Field(() => Int)
  stock!: number;

  @Field(() => ProductStatusEnum, { nullable: true, defaultValue: "OFF_SALE" })
  status?: ProductStatus;

  @Field(() => [ProductAttributeInput], { nullable: true })
  attributes?: ProductAttributeInput[] | null;

  @Field(() => ProductPictureInput, { nullable: true })
  picture?: ProductPictureInput | null;
}

@InputType({ description: "Changes to a product; fields left out keep their value." })
export class UpdateProductInput {
  @Field(() => ID)
  id!: string;

  @Field(() => ID, { nullable: true, description: "Link to a campaign; null removes the link." })
  campaignId?: string | null;

  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => String, { nullable: true })
  introduction?: string | null;

  @Field(() => [String], { nullable: true })
  labels?: string[] | null;

  @Field(() => FenScalar, { nullable: true })
  price?: number | null;

  @Field(() => Int, { nullable: true, description: "New stock, replacing the current one." })
  stock?: number | null;

  @Field(() => Int, {
    nullable: true,
    description: "Items to add (positive) or take away (negative), applied atomically, so concurrent checkouts are not overwritten.",
  })
  stockDelta?: number | null;

  @Field(() => ProductStatusEnum, { nullable: true })
  status?: ProductStatus | null;

  @Field(() => [ProductAttributeInput], { nullable: true })
  attributes?: ProductAttributeInput[] | null;

  @Field(() => ProductPictureInput, { nullable: true, description: "A new picture; null removes the picture." })
  picture?: ProductPictureInput | null;
}

@InputType({ description: "Conditions a product must meet; all given conditions apply." })
export class ProductFilter {
  @Field(() => String, { nullable: true, description: "Case-insensitive part of the name or introduction." })
  search?: string | null;

  @Field(() => [ProductStatusEnum], { nullable: true })
  status?: ProductStatus[] | null;

  @Field(() => ID, { nullable: true })
  merchantAccountId?: string | null;

  @Field(() => ID, { nullable: true })
  campaignId?: string | null;

  @Field(() => String, { nullable: true, description: "Products carrying this label." })
  label?: string | null;
}
