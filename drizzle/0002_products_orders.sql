CREATE TABLE "products" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" text NOT NULL,
	"merchant_account_id" uuid NOT NULL,
	"campaign_id" uuid,
	"name" text NOT NULL,
	"introduction" text DEFAULT '' NOT NULL,
	"labels" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"price" bigint NOT NULL,
	"stock" integer NOT NULL,
	"status" text DEFAULT 'OFF_SALE' NOT NULL,
	"attributes" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"picture_url" text,
	"picture_file" text,
	"deleted_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT date_trunc('milliseconds', now()) NOT NULL,
	"updated_at" timestamp with time zone DEFAULT date_trunc('milliseconds', now()) NOT NULL,
	CONSTRAINT "products_stock_not_negative" CHECK ("products"."stock" >= 0),
	CONSTRAINT "products_price_positive" CHECK ("products"."price" > 0)
);
--> statement-breakpoint
CREATE TABLE "order_promotions" (
	"order_id" uuid NOT NULL,
	"coupon_id" text NOT NULL,
	"tenant_id" text NOT NULL,
	"stock_id" text,
	"name" text,
	"scope" text,
	"type" text,
	"amount" bigint NOT NULL,
	"wechatpay_contribute" bigint,
	"merchant_contribute" bigint,
	"other_contribute" bigint,
	"created_at" timestamp with time zone DEFAULT date_trunc('milliseconds', now()) NOT NULL,
	CONSTRAINT "order_promotions_order_id_coupon_id_pk" PRIMARY KEY("order_id","coupon_id")
);
--> statement-breakpoint
CREATE TABLE "order_refunds" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" text NOT NULL,
	"order_id" uuid NOT NULL,
	"refund_no" text NOT NULL,
	"request_id" text NOT NULL,
	"amount" bigint NOT NULL,
	"reason" text,
	"automatic" boolean DEFAULT false NOT NULL,
	"status" text DEFAULT 'SUBMITTING' NOT NULL,
	"refund_id" text,
	"payer_refund" bigint,
	"failure_code" text,
	"failure_message" text,
	"succeeded_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT date_trunc('milliseconds', now()) NOT NULL,
	"updated_at" timestamp with time zone DEFAULT date_trunc('milliseconds', now()) NOT NULL,
	CONSTRAINT "order_refunds_amount_positive" CHECK ("order_refunds"."amount" > 0)
);
--> statement-breakpoint
CREATE TABLE "orders" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" text NOT NULL,
	"order_no" text NOT NULL,
	"merchant_account_id" uuid NOT NULL,
	"product_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"campaign_id" uuid,
	"page_id" text,
	"appid" text NOT NULL,
	"openid" text NOT NULL,
	"request_id" text NOT NULL,
	"product_name" text NOT NULL,
	"quantity" integer NOT NULL,
	"unit_price" bigint NOT NULL,
	"total_amount" bigint NOT NULL,
	"status" text DEFAULT 'PENDING' NOT NULL,
	"stock_held" boolean DEFAULT true NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"time_expire" text NOT NULL,
	"prepay_id" text,
	"transaction_id" text,
	"paid_at" timestamp with time zone,
	"payer_total" bigint,
	"discount_amount" bigint DEFAULT 0 NOT NULL,
	"paid_after_expiry" boolean DEFAULT false NOT NULL,
	"stock_shortfall" boolean DEFAULT false NOT NULL,
	"refunded_amount" bigint DEFAULT 0 NOT NULL,
	"closed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT date_trunc('milliseconds', now()) NOT NULL,
	"updated_at" timestamp with time zone DEFAULT date_trunc('milliseconds', now()) NOT NULL,
	CONSTRAINT "orders_quantity_positive" CHECK ("orders"."quantity" > 0),
	CONSTRAINT "orders_refunded_within_total" CHECK ("orders"."refunded_amount" <= "orders"."total_amount")
);
--> statement-breakpoint
CREATE INDEX "products_tenant_created_idx" ON "products" USING btree ("tenant_id","created_at","id");--> statement-breakpoint
CREATE INDEX "products_tenant_merchant_idx" ON "products" USING btree ("tenant_id","merchant_account_id");--> statement-breakpoint
CREATE UNIQUE INDEX "order_refunds_refund_no_key" ON "order_refunds" USING btree ("refund_no");--> statement-breakpoint
CREATE UNIQUE INDEX "order_refunds_tenant_order_request_key" ON "order_refunds" USING btree ("tenant_id","order_id","request_id");--> statement-breakpoint
CREATE INDEX "order_refunds_tenant_order_idx" ON "order_refunds" USING btree ("tenant_id","order_id");--> statement-breakpoint
CREATE INDEX "order_refunds_open_idx" ON "order_refunds" USING btree ("updated_at") WHERE "order_refunds"."status" in ('SUBMITTING', 'PROCESSING');--> statement-breakpoint
CREATE UNIQUE INDEX "orders_order_no_key" ON "orders" USING btree ("order_no");--> statement-breakpoint
CREATE UNIQUE INDEX "orders_tenant_customer_request_key" ON "orders" USING btree ("tenant_id","customer_id","request_id");--> statement-breakpoint
CREATE INDEX "orders_tenant_created_idx" ON "orders" USING btree ("tenant_id","created_at","id");--> statement-breakpoint
CREATE INDEX "orders_tenant_product_created_idx" ON "orders" USING btree ("tenant_id","product_id","created_at");--> statement-breakpoint
CREATE INDEX "orders_tenant_customer_created_idx" ON "orders" USING btree ("tenant_id","customer_id","created_at");--> statement-breakpoint
CREATE INDEX "orders_tenant_campaign_created_idx" ON "orders" USING btree ("tenant_id","campaign_id","created_at");--> statement-breakpoint
CREATE INDEX "orders_tenant_page_created_idx" ON "orders" USING btree ("tenant_id","page_id","created_at");--> statement-breakpoint
CREATE INDEX "orders_pending_expiry_idx" ON "orders" USING btree ("expires_at") WHERE "orders"."status" = 'PENDING';