CREATE TABLE "content_links" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "content_links_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"workspace_id" integer DEFAULT 1 NOT NULL,
	"token_hash" text NOT NULL,
	"item_id" integer NOT NULL,
	"contact_id" bigint NOT NULL,
	"created_by" integer,
	"created_by_label" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"clicks" integer DEFAULT 0 NOT NULL,
	"first_clicked_at" timestamp with time zone,
	"last_clicked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "field_intel" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "field_intel_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"workspace_id" integer DEFAULT 1 NOT NULL,
	"body" text NOT NULL,
	"topics" text[] DEFAULT '{}'::text[] NOT NULL,
	"competitors" text[] DEFAULT '{}'::text[] NOT NULL,
	"account_id" bigint,
	"heard_on" date DEFAULT current_date NOT NULL,
	"posted_by" integer,
	"idea_item_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "content_links" ADD CONSTRAINT "content_links_item_id_content_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."content_items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "content_links" ADD CONSTRAINT "content_links_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "content_links" ADD CONSTRAINT "content_links_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "field_intel" ADD CONSTRAINT "field_intel_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "field_intel" ADD CONSTRAINT "field_intel_posted_by_users_id_fk" FOREIGN KEY ("posted_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "field_intel" ADD CONSTRAINT "field_intel_idea_item_id_content_items_id_fk" FOREIGN KEY ("idea_item_id") REFERENCES "public"."content_items"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "content_links_token_unique" ON "content_links" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "content_links_contact_idx" ON "content_links" USING btree ("contact_id","created_at");--> statement-breakpoint
CREATE INDEX "content_links_item_idx" ON "content_links" USING btree ("item_id");--> statement-breakpoint
CREATE INDEX "field_intel_created_idx" ON "field_intel" USING btree ("workspace_id","created_at","id");--> statement-breakpoint
CREATE INDEX "field_intel_heard_idx" ON "field_intel" USING btree ("workspace_id","heard_on");--> statement-breakpoint
CREATE INDEX "field_intel_topics_idx" ON "field_intel" USING gin ("topics");--> statement-breakpoint
CREATE INDEX "field_intel_competitors_idx" ON "field_intel" USING gin ("competitors");--> statement-breakpoint
CREATE INDEX "field_intel_account_idx" ON "field_intel" USING btree ("account_id");--> statement-breakpoint
CREATE INDEX "field_intel_idea_idx" ON "field_intel" USING btree ("idea_item_id");