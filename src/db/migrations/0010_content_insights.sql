CREATE TABLE "content_audit_settings" (
	"workspace_id" integer PRIMARY KEY NOT NULL,
	"settings" jsonb NOT NULL,
	"updated_by" integer,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "content_influence" (
	"item_id" integer NOT NULL,
	"contact_id" bigint NOT NULL,
	"workspace_id" integer DEFAULT 1 NOT NULL,
	"reached_stage" text NOT NULL,
	"reached_at" timestamp with time zone NOT NULL,
	"first_read_at" timestamp with time zone NOT NULL,
	CONSTRAINT "content_influence_item_id_contact_id_pk" PRIMARY KEY("item_id","contact_id")
);
--> statement-breakpoint
CREATE TABLE "content_item_stats" (
	"item_id" integer PRIMARY KEY NOT NULL,
	"workspace_id" integer DEFAULT 1 NOT NULL,
	"views" bigint DEFAULT 0 NOT NULL,
	"anonymous_views" bigint DEFAULT 0 NOT NULL,
	"readers" integer DEFAULT 0 NOT NULL,
	"reads" bigint DEFAULT 0 NOT NULL,
	"depth_sum" real DEFAULT 0 NOT NULL,
	"active_seconds" bigint DEFAULT 0 NOT NULL,
	"views_90d" bigint DEFAULT 0 NOT NULL,
	"last_viewed_at" timestamp with time zone,
	"stage_known_readers" integer DEFAULT 0 NOT NULL,
	"stage_fit_readers" integer DEFAULT 0 NOT NULL,
	"ratings" integer DEFAULT 0 NOT NULL,
	"rating_sum" integer DEFAULT 0 NOT NULL,
	"influenced_contacts" integer DEFAULT 0 NOT NULL,
	"influenced_pipeline" numeric(16, 2) DEFAULT 0 NOT NULL,
	"refreshed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "content_ratings" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "content_ratings_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"workspace_id" integer DEFAULT 1 NOT NULL,
	"item_id" integer NOT NULL,
	"reader_key" text NOT NULL,
	"anonymous_id" text,
	"user_id" text,
	"contact_id" bigint,
	"rating" smallint NOT NULL,
	"comment" text,
	"source_id" integer,
	"page_url" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "content_ratings_rating_range" CHECK ("content_ratings"."rating" between 1 and 5),
	CONSTRAINT "content_ratings_comment_length" CHECK (char_length("content_ratings"."comment") <= 2000)
);
--> statement-breakpoint
ALTER TABLE "content_audit_settings" ADD CONSTRAINT "content_audit_settings_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "content_influence" ADD CONSTRAINT "content_influence_item_id_content_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."content_items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "content_influence" ADD CONSTRAINT "content_influence_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "content_item_stats" ADD CONSTRAINT "content_item_stats_item_id_content_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."content_items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "content_ratings" ADD CONSTRAINT "content_ratings_item_id_content_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."content_items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "content_ratings" ADD CONSTRAINT "content_ratings_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "content_ratings" ADD CONSTRAINT "content_ratings_source_id_sources_id_fk" FOREIGN KEY ("source_id") REFERENCES "public"."sources"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "content_influence_contact_idx" ON "content_influence" USING btree ("contact_id");--> statement-breakpoint
CREATE UNIQUE INDEX "content_ratings_reader_unique" ON "content_ratings" USING btree ("workspace_id","item_id","reader_key");--> statement-breakpoint
CREATE INDEX "content_ratings_item_idx" ON "content_ratings" USING btree ("item_id","updated_at");--> statement-breakpoint
CREATE INDEX "content_ratings_contact_idx" ON "content_ratings" USING btree ("contact_id");