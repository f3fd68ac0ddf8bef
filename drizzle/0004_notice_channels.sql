CREATE TABLE "notice_channel_settings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" text NOT NULL,
	"channel" text NOT NULL,
	"endpoint_url" text NOT NULL,
	"template_id" text,
	"sealed_secret" text NOT NULL,
	"secret_fingerprint" text NOT NULL,
	"enabled" boolean NOT NULL,
	"created_at" timestamp with time zone DEFAULT date_trunc('milliseconds', now()) NOT NULL,
	"updated_at" timestamp with time zone DEFAULT date_trunc('milliseconds', now()) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "notice_channel_settings_channel_key" ON "notice_channel_settings" USING btree ("tenant_id","channel");