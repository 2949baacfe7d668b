CREATE TABLE "analytics_settings" (
	"workspace_id" integer PRIMARY KEY NOT NULL,
	"settings" jsonb NOT NULL,
	"updated_by" integer,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "analytics_stage_daily" (
	"workspace_id" integer DEFAULT 1 NOT NULL,
	"day" date NOT NULL,
	"from_stage" text NOT NULL,
	"to_stage" text NOT NULL,
	"n" integer NOT NULL,
	CONSTRAINT "analytics_stage_daily_workspace_id_day_from_stage_to_stage_pk" PRIMARY KEY("workspace_id","day","from_stage","to_stage")
);
--> statement-breakpoint
CREATE TABLE "analytics_state" (
	"workspace_id" integer PRIMARY KEY NOT NULL,
	"events_received_at" timestamp with time zone,
	"transition_id" bigint DEFAULT 0 NOT NULL,
	"merge_id" bigint DEFAULT 0 NOT NULL,
	"refreshed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "analytics_touches" (
	"workspace_id" integer DEFAULT 1 NOT NULL,
	"source_key" text NOT NULL,
	"contact_id" bigint,
	"anonymous_id" text,
	"kind" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"utm_campaign" text,
	"campaign_id" bigint,
	"content_item_id" integer,
	"channel" text,
	CONSTRAINT "analytics_touches_workspace_id_source_key_pk" PRIMARY KEY("workspace_id","source_key")
);
--> statement-breakpoint
CREATE TABLE "offline_touches" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "offline_touches_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"workspace_id" integer DEFAULT 1 NOT NULL,
	"external_id" text,
	"contact_id" bigint NOT NULL,
	"campaign_id" bigint,
	"kind" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"note" text,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "analytics_settings" ADD CONSTRAINT "analytics_settings_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offline_touches" ADD CONSTRAINT "offline_touches_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offline_touches" ADD CONSTRAINT "offline_touches_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offline_touches" ADD CONSTRAINT "offline_touches_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "analytics_touches_contact_idx" ON "analytics_touches" USING btree ("contact_id","occurred_at");--> statement-breakpoint
CREATE INDEX "analytics_touches_anon_idx" ON "analytics_touches" USING btree ("workspace_id","anonymous_id") WHERE contact_id is null;--> statement-breakpoint
CREATE UNIQUE INDEX "offline_touches_external_unique" ON "offline_touches" USING btree ("workspace_id","external_id");--> statement-breakpoint
CREATE INDEX "offline_touches_contact_idx" ON "offline_touches" USING btree ("contact_id","occurred_at");