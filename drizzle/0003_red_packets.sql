CREATE TABLE "red_packet_daily_counters" (
	"red_packet_id" uuid NOT NULL,
	"day" text NOT NULL,
	"tenant_id" text NOT NULL,
	"reserved_count" bigint DEFAULT 0 NOT NULL,
	"reserved_amount" bigint DEFAULT 0 NOT NULL,
	"issued_count" bigint DEFAULT 0 NOT NULL,
	"issued_amount" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "red_packet_daily_counters_red_packet_id_day_pk" PRIMARY KEY("red_packet_id","day"),
	CONSTRAINT "red_packet_daily_counters_non_negative" CHECK ("red_packet_daily_counters"."reserved_count" >= 0 and "red_packet_daily_counters"."reserved_amount" >= 0)
);
--> statement-breakpoint
CREATE TABLE "red_packet_grants" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" text NOT NULL,
	"red_packet_id" uuid NOT NULL,
	"campaign_id" uuid NOT NULL,
	"merchant_account_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"appid" text NOT NULL,
	"openid" text NOT NULL,
	"mobile" text,
	"source" text NOT NULL,
	"idempotency_key" text NOT NULL,
	"job_id" uuid,
	"job_position" integer,
	"channel" text NOT NULL,
	"amount" bigint NOT NULL,
	"quota_day" text,
	"bill_serial" bigserial NOT NULL,
	"request_no" text,
	"request" jsonb,
	"status" text NOT NULL,
	"failure_code" text,
	"failure_message" text,
	"limit_reached" boolean DEFAULT false NOT NULL,
	"wechat_id" text,
	"wechat_state" text,
	"package_info" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"lease_until" timestamp with time zone,
	"next_attempt_at" timestamp with time zone,
	"issued_at" timestamp with time zone,
	"claimed_at" timestamp with time zone,
	"refunded_at" timestamp with time zone,
	"failed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT date_trunc('milliseconds', now()) NOT NULL,
	"updated_at" timestamp with time zone DEFAULT date_trunc('milliseconds', now()) NOT NULL
);
--> statement-breakpoint
CREATE TABLE "red_packet_quota_warnings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" text NOT NULL,
	"red_packet_id" uuid NOT NULL,
	"limit_kind" text NOT NULL,
	"day" text,
	"threshold_percent" integer NOT NULL,
	"used" bigint NOT NULL,
	"limit" bigint NOT NULL,
	"grant_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT date_trunc('milliseconds', now()) NOT NULL
);
--> statement-breakpoint
CREATE TABLE "red_packet_reconciliation_mismatches" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" text NOT NULL,
	"run_id" uuid NOT NULL,
	"grant_id" uuid NOT NULL,
	"red_packet_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"recorded_status" text NOT NULL,
	"recorded_amount" bigint NOT NULL,
	"wechat_state" text,
	"wechat_amount" bigint,
	"detail" text,
	"created_at" timestamp with time zone DEFAULT date_trunc('milliseconds', now()) NOT NULL
);
--> statement-breakpoint
CREATE TABLE "red_packet_reconciliation_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" text NOT NULL,
	"job_id" uuid NOT NULL,
	"checked_grants" integer DEFAULT 0 NOT NULL,
	"updated_grants" integer DEFAULT 0 NOT NULL,
	"mismatches" integer DEFAULT 0 NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "red_packets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" text NOT NULL,
	"name" text NOT NULL,
	"campaign_id" uuid NOT NULL,
	"merchant_account_id" uuid NOT NULL,
	"act_name" text NOT NULL,
	"send_name" text NOT NULL,
	"wishing" text NOT NULL,
	"remark" text,
	"scene_id" text,
	"amount_mode" text NOT NULL,
	"min_amount" bigint NOT NULL,
	"max_amount" bigint NOT NULL,
	"total_count_limit" bigint,
	"total_amount_limit" bigint,
	"daily_count_limit" bigint,
	"daily_amount_limit" bigint,
	"warning_threshold_percent" integer,
	"failure_notice_enabled" boolean DEFAULT false NOT NULL,
	"failure_notice_channel" text,
	"failure_notice_text" text,
	"status" text DEFAULT 'ACTIVE' NOT NULL,
	"sending_started_at" timestamp with time zone,
	"deleted_at" timestamp with time zone,
	"reserved_count" bigint DEFAULT 0 NOT NULL,
	"reserved_amount" bigint DEFAULT 0 NOT NULL,
	"issued_count" bigint DEFAULT 0 NOT NULL,
	"issued_amount" bigint DEFAULT 0 NOT NULL,
	"claimed_count" bigint DEFAULT 0 NOT NULL,
	"claimed_amount" bigint DEFAULT 0 NOT NULL,
	"refunded_count" bigint DEFAULT 0 NOT NULL,
	"refunded_amount" bigint DEFAULT 0 NOT NULL,
	"failed_count" bigint DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT date_trunc('milliseconds', now()) NOT NULL,
	"updated_at" timestamp with time zone DEFAULT date_trunc('milliseconds', now()) NOT NULL,
	CONSTRAINT "red_packets_counters_non_negative" CHECK ("red_packets"."reserved_count" >= 0 and "red_packets"."reserved_amount" >= 0),
	CONSTRAINT "red_packets_amount_range" CHECK ("red_packets"."min_amount" > 0 and "red_packets"."min_amount" <= "red_packets"."max_amount")
);
--> statement-breakpoint
CREATE TABLE "failure_notices" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" text NOT NULL,
	"grant_id" uuid NOT NULL,
	"red_packet_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"channel" text NOT NULL,
	"appid" text NOT NULL,
	"openid" text NOT NULL,
	"mobile" text,
	"text" text NOT NULL,
	"payload" jsonb,
	"status" text NOT NULL,
	"status_reason" text,
	"failure_code" text NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"sent_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT date_trunc('milliseconds', now()) NOT NULL,
	"updated_at" timestamp with time zone DEFAULT date_trunc('milliseconds', now()) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "red_packet_grants_idempotency_key" ON "red_packet_grants" USING btree ("tenant_id","red_packet_id","idempotency_key");--> statement-breakpoint
CREATE UNIQUE INDEX "red_packet_grants_request_no_key" ON "red_packet_grants" USING btree ("merchant_account_id","request_no");--> statement-breakpoint
CREATE INDEX "red_packet_grants_tenant_packet_created_idx" ON "red_packet_grants" USING btree ("tenant_id","red_packet_id","created_at","id");--> statement-breakpoint
CREATE INDEX "red_packet_grants_tenant_customer_idx" ON "red_packet_grants" USING btree ("tenant_id","appid","openid","status");--> statement-breakpoint
CREATE INDEX "red_packet_grants_status_idx" ON "red_packet_grants" USING btree ("status","next_attempt_at");--> statement-breakpoint
CREATE INDEX "red_packet_grants_job_idx" ON "red_packet_grants" USING btree ("job_id","job_position");--> statement-breakpoint
CREATE INDEX "red_packet_quota_warnings_tenant_created_idx" ON "red_packet_quota_warnings" USING btree ("tenant_id","created_at","id");--> statement-breakpoint
CREATE UNIQUE INDEX "red_packet_reconciliation_mismatches_key" ON "red_packet_reconciliation_mismatches" USING btree ("run_id","grant_id","kind");--> statement-breakpoint
CREATE INDEX "red_packet_reconciliation_mismatches_tenant_created_idx" ON "red_packet_reconciliation_mismatches" USING btree ("tenant_id","created_at","id");--> statement-breakpoint
CREATE UNIQUE INDEX "red_packet_reconciliation_runs_job_key" ON "red_packet_reconciliation_runs" USING btree ("job_id");--> statement-breakpoint
CREATE INDEX "red_packet_reconciliation_runs_tenant_started_idx" ON "red_packet_reconciliation_runs" USING btree ("tenant_id","started_at");--> statement-breakpoint
CREATE INDEX "red_packets_tenant_created_idx" ON "red_packets" USING btree ("tenant_id","created_at","id");--> statement-breakpoint
CREATE INDEX "red_packets_tenant_campaign_idx" ON "red_packets" USING btree ("tenant_id","campaign_id");--> statement-breakpoint
CREATE UNIQUE INDEX "failure_notices_grant_key" ON "failure_notices" USING btree ("tenant_id","grant_id");--> statement-breakpoint
CREATE INDEX "failure_notices_tenant_created_idx" ON "failure_notices" USING btree ("tenant_id","created_at","id");--> statement-breakpoint
CREATE INDEX "failure_notices_status_idx" ON "failure_notices" USING btree ("status","created_at");