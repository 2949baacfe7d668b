CREATE TABLE "content_consumption" (
	"item_id" integer NOT NULL,
	"contact_id" bigint NOT NULL,
	"workspace_id" integer DEFAULT 1 NOT NULL,
	"views" integer DEFAULT 0 NOT NULL,
	"reads" integer DEFAULT 0 NOT NULL,
	"max_depth_pct" integer DEFAULT 0 NOT NULL,
	"active_seconds" integer DEFAULT 0 NOT NULL,
	"first_at" timestamp with time zone NOT NULL,
	"last_at" timestamp with time zone NOT NULL,
	CONSTRAINT "content_consumption_item_id_contact_id_pk" PRIMARY KEY("item_id","contact_id")
);
--> statement-breakpoint
CREATE TABLE "content_daily" (
	"item_id" integer NOT NULL,
	"day" date NOT NULL,
	"workspace_id" integer DEFAULT 1 NOT NULL,
	"views" integer DEFAULT 0 NOT NULL,
	"anonymous_views" integer DEFAULT 0 NOT NULL,
	"reads" integer DEFAULT 0 NOT NULL,
	"depth_sum" real DEFAULT 0 NOT NULL,
	"active_seconds" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "content_daily_item_id_day_pk" PRIMARY KEY("item_id","day")
);
--> statement-breakpoint
CREATE TABLE "content_daily_state" (
	"workspace_id" integer PRIMARY KEY NOT NULL,
	"received_up_to" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "content_item_smes" (
	"item_id" integer NOT NULL,
	"sme_id" integer NOT NULL,
	"role" text DEFAULT 'interview' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "content_item_smes_item_id_sme_id_pk" PRIMARY KEY("item_id","sme_id")
);
--> statement-breakpoint
CREATE TABLE "content_items" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "content_items_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"workspace_id" integer DEFAULT 1 NOT NULL,
	"title" text NOT NULL,
	"summary" text,
	"type" text NOT NULL,
	"format" text DEFAULT 'article' NOT NULL,
	"stage" text NOT NULL,
	"status" text DEFAULT 'idea' NOT NULL,
	"topics" text[] DEFAULT '{}'::text[] NOT NULL,
	"segments" text[] DEFAULT '{}'::text[] NOT NULL,
	"products" text[] DEFAULT '{}'::text[] NOT NULL,
	"owner_id" integer,
	"target_reader" text,
	"research_notes" text,
	"due_date" date,
	"due_status" text,
	"publish_date" date,
	"published_at" timestamp with time zone,
	"external_id" text,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "content_settings" (
	"workspace_id" integer PRIMARY KEY NOT NULL,
	"kept_query_params" text[] DEFAULT '{}'::text[] NOT NULL,
	"updated_by" integer,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "content_smes" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "content_smes_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"workspace_id" integer DEFAULT 1 NOT NULL,
	"name" text NOT NULL,
	"email" text,
	"title" text,
	"user_id" integer,
	"topics" text[] DEFAULT '{}'::text[] NOT NULL,
	"notes" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "content_urls" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "content_urls_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"workspace_id" integer DEFAULT 1 NOT NULL,
	"item_id" integer NOT NULL,
	"url" text NOT NULL,
	"normalized" text NOT NULL,
	"kind" text DEFAULT 'exact' NOT NULL,
	"canonical" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "content_workflow_history" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "content_workflow_history_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"workspace_id" integer DEFAULT 1 NOT NULL,
	"item_id" integer NOT NULL,
	"from_status" text,
	"to_status" text NOT NULL,
	"note" text,
	"skipped_review" boolean DEFAULT false NOT NULL,
	"actor_id" integer,
	"actor_label" text NOT NULL,
	"occurred_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "content_consumption" ADD CONSTRAINT "content_consumption_item_id_content_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."content_items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "content_consumption" ADD CONSTRAINT "content_consumption_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "content_daily" ADD CONSTRAINT "content_daily_item_id_content_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."content_items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "content_item_smes" ADD CONSTRAINT "content_item_smes_item_id_content_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."content_items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "content_item_smes" ADD CONSTRAINT "content_item_smes_sme_id_content_smes_id_fk" FOREIGN KEY ("sme_id") REFERENCES "public"."content_smes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "content_items" ADD CONSTRAINT "content_items_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "content_items" ADD CONSTRAINT "content_items_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "content_settings" ADD CONSTRAINT "content_settings_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "content_smes" ADD CONSTRAINT "content_smes_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "content_urls" ADD CONSTRAINT "content_urls_item_id_content_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."content_items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "content_workflow_history" ADD CONSTRAINT "content_workflow_history_item_id_content_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."content_items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "content_workflow_history" ADD CONSTRAINT "content_workflow_history_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "content_consumption_contact_idx" ON "content_consumption" USING btree ("contact_id","last_at");--> statement-breakpoint
CREATE INDEX "content_daily_workspace_day_idx" ON "content_daily" USING btree ("workspace_id","day");--> statement-breakpoint
CREATE INDEX "content_item_smes_sme_idx" ON "content_item_smes" USING btree ("sme_id");--> statement-breakpoint
CREATE INDEX "content_items_workspace_idx" ON "content_items" USING btree ("workspace_id","id");--> statement-breakpoint
CREATE INDEX "content_items_stage_type_idx" ON "content_items" USING btree ("workspace_id","stage","type");--> statement-breakpoint
CREATE INDEX "content_items_status_idx" ON "content_items" USING btree ("workspace_id","status");--> statement-breakpoint
CREATE INDEX "content_items_publish_idx" ON "content_items" USING btree ("workspace_id","publish_date");--> statement-breakpoint
CREATE UNIQUE INDEX "content_items_external_id_unique" ON "content_items" USING btree ("workspace_id","external_id");--> statement-breakpoint
CREATE UNIQUE INDEX "content_smes_name_unique" ON "content_smes" USING btree ("workspace_id",lower("name"));--> statement-breakpoint
CREATE UNIQUE INDEX "content_urls_rule_unique" ON "content_urls" USING btree ("workspace_id","normalized","kind");--> statement-breakpoint
CREATE INDEX "content_urls_item_idx" ON "content_urls" USING btree ("item_id");--> statement-breakpoint
CREATE INDEX "content_workflow_history_item_idx" ON "content_workflow_history" USING btree ("item_id","occurred_at");