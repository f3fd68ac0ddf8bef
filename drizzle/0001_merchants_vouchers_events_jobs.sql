CREATE TABLE "tenants" (
	"id" text PRIMARY KEY NOT NULL,
	"time_zone" text,
	"created_at" timestamp with time zone DEFAULT date_trunc('milliseconds', now()) NOT NULL,
	"updated_at" timestamp with time zone DEFAULT date_trunc('milliseconds', now()) NOT NULL
);
--> statement-breakpoint
CREATE TABLE "customers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" text NOT NULL,
	"appid" text NOT NULL,
	"openid" text NOT NULL,
	"unionid" text,
	"mobile" text,
	"nickname" text,
	"created_at" timestamp with time zone DEFAULT date_trunc('milliseconds', now()) NOT NULL,
	"updated_at" timestamp with time zone DEFAULT date_trunc('milliseconds', now()) NOT NULL
);
--> statement-breakpoint
CREATE TABLE "merchant_accounts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" text NOT NULL,
	"name" text NOT NULL,
	"mchid" text NOT NULL,
	"official_account_appid" text NOT NULL,
	"mini_program_appid" text,
	"api_base_url" text NOT NULL,
	"api_v2_base_url" text,
	"status" text DEFAULT 'ENABLED' NOT NULL,
	"encrypted_credentials" text NOT NULL,
	"merchant_serial_no" text NOT NULL,
	"merchant_certificate_expires_at" timestamp with time zone,
	"api_v3_key_fingerprint" text NOT NULL,
	"api_v2_key_fingerprint" text NOT NULL,
	"private_key_fingerprint" text NOT NULL,
	"wechatpay_public_key_id" text,
	"platform_certificates" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"small_red_packet_enabled" boolean DEFAULT false NOT NULL,
	"payout_channel" text DEFAULT 'CASH_RED_PACKET' NOT NULL,
	"transfer_scene_id" text,
	"last_connection_test_at" timestamp with time zone,
	"last_connection_test_ok" boolean,
	"created_at" timestamp with time zone DEFAULT date_trunc('milliseconds', now()) NOT NULL,
	"updated_at" timestamp with time zone DEFAULT date_trunc('milliseconds', now()) NOT NULL
);
--> statement-breakpoint
CREATE TABLE "voucher_batches" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" text NOT NULL,
	"merchant_account_id" uuid NOT NULL,
	"campaign_id" uuid,
	"stock_id" text NOT NULL,
	"stock_creator_mchid" text NOT NULL,
	"name" text NOT NULL,
	"wechat_status" text NOT NULL,
	"coupon_amount" bigint,
	"transaction_minimum" bigint,
	"max_coupons" bigint,
	"max_amount" bigint,
	"max_amount_by_day" bigint,
	"max_coupons_per_user" integer,
	"distributed_coupons" bigint DEFAULT 0 NOT NULL,
	"start_time" timestamp with time zone,
	"stop_time" timestamp with time zone,
	"available_begin_time" timestamp with time zone,
	"available_end_time" timestamp with time zone,
	"synced_at" timestamp with time zone NOT NULL,
	"issued_count" bigint DEFAULT 0 NOT NULL,
	"collected_count" bigint DEFAULT 0 NOT NULL,
	"redeemed_count" bigint DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT date_trunc('milliseconds', now()) NOT NULL,
	"updated_at" timestamp with time zone DEFAULT date_trunc('milliseconds', now()) NOT NULL
);
--> statement-breakpoint
CREATE TABLE "voucher_grants" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" text NOT NULL,
	"batch_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"campaign_id" uuid,
	"source" text NOT NULL,
	"request_key" text NOT NULL,
	"out_request_no" text NOT NULL,
	"status" text DEFAULT 'PENDING' NOT NULL,
	"coupon_id" text,
	"failure_code" text,
	"failure_message" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"module_id" uuid,
	"job_id" uuid,
	"issued_at" timestamp with time zone,
	"redeemed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT date_trunc('milliseconds', now()) NOT NULL,
	"updated_at" timestamp with time zone DEFAULT date_trunc('milliseconds', now()) NOT NULL
);
--> statement-breakpoint
CREATE TABLE "voucher_modules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" text NOT NULL,
	"page_id" text NOT NULL,
	"module_key" text NOT NULL,
	"batch_id" uuid NOT NULL,
	"campaign_id" uuid,
	"popup_kind" text NOT NULL,
	"popup_message" text,
	"popup_picture_url" text,
	"created_at" timestamp with time zone DEFAULT date_trunc('milliseconds', now()) NOT NULL,
	"updated_at" timestamp with time zone DEFAULT date_trunc('milliseconds', now()) NOT NULL
);
--> statement-breakpoint
CREATE TABLE "customer_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" text NOT NULL,
	"event_key" text NOT NULL,
	"type" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"source" text NOT NULL,
	"customer_id" uuid NOT NULL,
	"openid" text NOT NULL,
	"mobile" text,
	"campaign_id" uuid,
	"merchant_account_id" uuid,
	"voucher_batch_id" uuid,
	"red_packet_id" uuid,
	"order_id" uuid,
	"product_id" uuid,
	"wechat_object_id" text,
	"amount" bigint,
	"attributes" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "job_items" (
	"job_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"tenant_id" text NOT NULL,
	"input" jsonb NOT NULL,
	"status" text DEFAULT 'PENDING' NOT NULL,
	"outcome" text,
	"detail" jsonb,
	"updated_at" timestamp with time zone DEFAULT date_trunc('milliseconds', now()) NOT NULL,
	CONSTRAINT "job_items_job_id_position_pk" PRIMARY KEY("job_id","position")
);
--> statement-breakpoint
CREATE TABLE "jobs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" text NOT NULL,
	"kind" text NOT NULL,
	"idempotency_key" text NOT NULL,
	"payload" jsonb NOT NULL,
	"status" text DEFAULT 'QUEUED' NOT NULL,
	"total_items" integer DEFAULT 0 NOT NULL,
	"processed_items" integer DEFAULT 0 NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"run_after" timestamp with time zone DEFAULT now() NOT NULL,
	"locked_by" text,
	"locked_until" timestamp with time zone,
	"last_error" text,
	"result" jsonb,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT date_trunc('milliseconds', now()) NOT NULL,
	"updated_at" timestamp with time zone DEFAULT date_trunc('milliseconds', now()) NOT NULL
);
--> statement-breakpoint
CREATE TABLE "key_leases" (
	"key" text PRIMARY KEY NOT NULL,
	"holder" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "customers_tenant_appid_openid_key" ON "customers" USING btree ("tenant_id","appid","openid");--> statement-breakpoint
CREATE INDEX "customers_tenant_mobile_idx" ON "customers" USING btree ("tenant_id","mobile");--> statement-breakpoint
CREATE INDEX "customers_tenant_unionid_idx" ON "customers" USING btree ("tenant_id","unionid");--> statement-breakpoint
CREATE UNIQUE INDEX "merchant_accounts_tenant_mchid_key" ON "merchant_accounts" USING btree ("tenant_id","mchid");--> statement-breakpoint
CREATE INDEX "merchant_accounts_tenant_created_idx" ON "merchant_accounts" USING btree ("tenant_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "voucher_batches_tenant_stock_key" ON "voucher_batches" USING btree ("tenant_id","stock_id");--> statement-breakpoint
CREATE INDEX "voucher_batches_tenant_created_idx" ON "voucher_batches" USING btree ("tenant_id","created_at","id");--> statement-breakpoint
CREATE INDEX "voucher_batches_tenant_campaign_idx" ON "voucher_batches" USING btree ("tenant_id","campaign_id");--> statement-breakpoint
CREATE UNIQUE INDEX "voucher_grants_tenant_request_key" ON "voucher_grants" USING btree ("tenant_id","batch_id","customer_id","request_key");--> statement-breakpoint
CREATE UNIQUE INDEX "voucher_grants_out_request_no_key" ON "voucher_grants" USING btree ("tenant_id","out_request_no");--> statement-breakpoint
CREATE INDEX "voucher_grants_tenant_customer_batch_idx" ON "voucher_grants" USING btree ("tenant_id","customer_id","batch_id");--> statement-breakpoint
CREATE INDEX "voucher_grants_tenant_coupon_idx" ON "voucher_grants" USING btree ("tenant_id","coupon_id");--> statement-breakpoint
CREATE INDEX "voucher_grants_unsettled_idx" ON "voucher_grants" USING btree ("status","updated_at");--> statement-breakpoint
CREATE UNIQUE INDEX "voucher_modules_tenant_page_module_key" ON "voucher_modules" USING btree ("tenant_id","page_id","module_key");--> statement-breakpoint
CREATE UNIQUE INDEX "customer_events_tenant_event_key" ON "customer_events" USING btree ("tenant_id","event_key");--> statement-breakpoint
CREATE INDEX "customer_events_tenant_time_idx" ON "customer_events" USING btree ("tenant_id","occurred_at");--> statement-breakpoint
CREATE INDEX "customer_events_tenant_type_time_idx" ON "customer_events" USING btree ("tenant_id","type","occurred_at");--> statement-breakpoint
CREATE INDEX "customer_events_tenant_campaign_time_idx" ON "customer_events" USING btree ("tenant_id","campaign_id","occurred_at");--> statement-breakpoint
CREATE INDEX "customer_events_tenant_customer_time_idx" ON "customer_events" USING btree ("tenant_id","customer_id","occurred_at");--> statement-breakpoint
CREATE INDEX "job_items_pending_idx" ON "job_items" USING btree ("job_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "jobs_tenant_kind_key" ON "jobs" USING btree ("tenant_id","kind","idempotency_key");--> statement-breakpoint
CREATE INDEX "jobs_claimable_idx" ON "jobs" USING btree ("status","run_after");