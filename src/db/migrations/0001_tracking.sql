CREATE TABLE "contact_merges" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "contact_merges_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"workspace_id" integer DEFAULT 1 NOT NULL,
	"winner_id" bigint NOT NULL,
	"loser_id" bigint NOT NULL,
	"loser_email" text NOT NULL,
	"loser_snapshot" jsonb NOT NULL,
	"reason" text NOT NULL,
	"events_moved" integer DEFAULT 0 NOT NULL,
	"merged_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "event_dedupe" (
	"workspace_id" integer DEFAULT 1 NOT NULL,
	"source_id" integer NOT NULL,
	"message_id" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "event_dedupe_workspace_id_source_id_message_id_pk" PRIMARY KEY("workspace_id","source_id","message_id")
);
--> statement-breakpoint
CREATE TABLE "identities" (
	"workspace_id" integer DEFAULT 1 NOT NULL,
	"kind" text NOT NULL,
	"value" text NOT NULL,
	"contact_id" bigint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "identities_workspace_id_kind_value_pk" PRIMARY KEY("workspace_id","kind","value")
);
--> statement-breakpoint
CREATE TABLE "sources" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "sources_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"workspace_id" integer DEFAULT 1 NOT NULL,
	"name" text NOT NULL,
	"write_key_hash" text NOT NULL,
	"write_key_prefix" text NOT NULL,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "tracking_rejections" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "tracking_rejections_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"workspace_id" integer DEFAULT 1 NOT NULL,
	"source_id" integer NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"endpoint" text NOT NULL,
	"batch_index" integer,
	"message_id" text,
	"reason" text NOT NULL,
	"payload" jsonb
);
--> statement-breakpoint
ALTER TABLE "contact_merges" ADD CONSTRAINT "contact_merges_winner_id_contacts_id_fk" FOREIGN KEY ("winner_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_dedupe" ADD CONSTRAINT "event_dedupe_source_id_sources_id_fk" FOREIGN KEY ("source_id") REFERENCES "public"."sources"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "identities" ADD CONSTRAINT "identities_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sources" ADD CONSTRAINT "sources_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tracking_rejections" ADD CONSTRAINT "tracking_rejections_source_id_sources_id_fk" FOREIGN KEY ("source_id") REFERENCES "public"."sources"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "contact_merges_winner_idx" ON "contact_merges" USING btree ("winner_id");--> statement-breakpoint
CREATE INDEX "contact_merges_loser_idx" ON "contact_merges" USING btree ("loser_id");--> statement-breakpoint
CREATE INDEX "event_dedupe_received_idx" ON "event_dedupe" USING btree ("received_at");--> statement-breakpoint
CREATE INDEX "identities_contact_idx" ON "identities" USING btree ("contact_id");--> statement-breakpoint
CREATE UNIQUE INDEX "sources_write_key_hash_unique" ON "sources" USING btree ("write_key_hash");--> statement-breakpoint
CREATE INDEX "sources_workspace_idx" ON "sources" USING btree ("workspace_id","id");--> statement-breakpoint
CREATE INDEX "tracking_rejections_source_idx" ON "tracking_rejections" USING btree ("source_id","id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "tracking_rejections_received_idx" ON "tracking_rejections" USING btree ("received_at");