CREATE TABLE "email_alerts" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "email_alerts_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"workspace_id" integer DEFAULT 1 NOT NULL,
	"scope" text NOT NULL,
	"scope_id" text NOT NULL,
	"metric" text NOT NULL,
	"day" text NOT NULL,
	"rate_pct" text NOT NULL,
	"threshold_pct" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "email_consents" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "email_consents_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"workspace_id" integer DEFAULT 1 NOT NULL,
	"contact_id" bigint NOT NULL,
	"topic_id" integer NOT NULL,
	"status" text NOT NULL,
	"source" text NOT NULL,
	"text" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"recorded_by" text NOT NULL,
	"message_id" uuid
);
--> statement-breakpoint
CREATE TABLE "email_domains" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "email_domains_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"workspace_id" integer DEFAULT 1 NOT NULL,
	"domain" text NOT NULL,
	"dkim_selector" text NOT NULL,
	"dkim_private_key_enc" text NOT NULL,
	"dkim_public_key" text NOT NULL,
	"spf_include" text,
	"throttle_per_minute" integer DEFAULT 600 NOT NULL,
	"last_check" jsonb,
	"checked_at" timestamp with time zone,
	"verified_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "email_inbound" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "email_inbound_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"workspace_id" integer DEFAULT 1 NOT NULL,
	"kind" text NOT NULL,
	"recipient" text,
	"status" text,
	"diagnostic" text,
	"message_id" uuid,
	"raw" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "email_links" (
	"message_id" uuid NOT NULL,
	"idx" integer NOT NULL,
	"url" text NOT NULL,
	"content_item_id" bigint,
	CONSTRAINT "email_links_message_id_idx_pk" PRIMARY KEY("message_id","idx")
);
--> statement-breakpoint
CREATE TABLE "email_messages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" integer DEFAULT 1 NOT NULL,
	"contact_id" bigint,
	"template_id" integer,
	"topic_id" integer,
	"to_email" text NOT NULL,
	"idempotency_key" text NOT NULL,
	"program_id" text,
	"step_id" text,
	"campaign_id" text,
	"is_test" boolean DEFAULT false NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"transport" text,
	"from_domain" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now(),
	"locked_until" timestamp with time zone,
	"subject" text,
	"html" text,
	"text" text,
	"headers" jsonb,
	"smtp_response" text,
	"error" text,
	"queued_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	"first_opened_at" timestamp with time zone,
	"first_clicked_at" timestamp with time zone,
	"bounced_at" timestamp with time zone,
	"complained_at" timestamp with time zone,
	"unsubscribed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "email_settings" (
	"workspace_id" integer PRIMARY KEY NOT NULL,
	"from_name" text DEFAULT 'revloop' NOT NULL,
	"from_email" text DEFAULT 'marketing@example.com' NOT NULL,
	"reply_to" text,
	"smtp_host" text,
	"smtp_port" integer DEFAULT 587 NOT NULL,
	"smtp_secure" boolean DEFAULT false NOT NULL,
	"smtp_user" text,
	"smtp_pass_enc" text,
	"tracking_base_url" text,
	"opt_out_alert_pct" integer DEFAULT 2 NOT NULL,
	"bounce_alert_pct" integer DEFAULT 5 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "email_suppressions" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "email_suppressions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"workspace_id" integer DEFAULT 1 NOT NULL,
	"email" text NOT NULL,
	"reason" text NOT NULL,
	"detail" text,
	"message_id" uuid,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "email_templates" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "email_templates_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"workspace_id" integer DEFAULT 1 NOT NULL,
	"name" text NOT NULL,
	"subject" text NOT NULL,
	"mjml" text NOT NULL,
	"compiled_html" text NOT NULL,
	"topic_id" integer,
	"content_item_id" bigint,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "email_topics" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "email_topics_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"workspace_id" integer DEFAULT 1 NOT NULL,
	"key" text NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "email_consents" ADD CONSTRAINT "email_consents_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "email_consents" ADD CONSTRAINT "email_consents_topic_id_email_topics_id_fk" FOREIGN KEY ("topic_id") REFERENCES "public"."email_topics"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "email_links" ADD CONSTRAINT "email_links_message_id_email_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "public"."email_messages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "email_messages" ADD CONSTRAINT "email_messages_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "email_messages" ADD CONSTRAINT "email_messages_template_id_email_templates_id_fk" FOREIGN KEY ("template_id") REFERENCES "public"."email_templates"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "email_messages" ADD CONSTRAINT "email_messages_topic_id_email_topics_id_fk" FOREIGN KEY ("topic_id") REFERENCES "public"."email_topics"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "email_templates" ADD CONSTRAINT "email_templates_topic_id_email_topics_id_fk" FOREIGN KEY ("topic_id") REFERENCES "public"."email_topics"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "email_templates" ADD CONSTRAINT "email_templates_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "email_alerts_unique" ON "email_alerts" USING btree ("workspace_id","scope","scope_id","metric","day");--> statement-breakpoint
CREATE INDEX "email_consents_contact_topic_idx" ON "email_consents" USING btree ("contact_id","topic_id","id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "email_consents_at_idx" ON "email_consents" USING btree ("workspace_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "email_domains_domain_unique" ON "email_domains" USING btree ("workspace_id","domain");--> statement-breakpoint
CREATE INDEX "email_inbound_received_idx" ON "email_inbound" USING btree ("workspace_id","received_at");--> statement-breakpoint
CREATE UNIQUE INDEX "email_messages_idempotency_unique" ON "email_messages" USING btree ("workspace_id","idempotency_key");--> statement-breakpoint
CREATE INDEX "email_messages_due_idx" ON "email_messages" USING btree ("next_attempt_at") WHERE status = 'queued';--> statement-breakpoint
CREATE INDEX "email_messages_queued_idx" ON "email_messages" USING btree ("workspace_id","queued_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "email_messages_contact_idx" ON "email_messages" USING btree ("contact_id");--> statement-breakpoint
CREATE INDEX "email_messages_domain_sent_idx" ON "email_messages" USING btree ("from_domain","sent_at");--> statement-breakpoint
CREATE INDEX "email_messages_campaign_idx" ON "email_messages" USING btree ("campaign_id","sent_at");--> statement-breakpoint
CREATE INDEX "email_messages_program_idx" ON "email_messages" USING btree ("program_id","sent_at");--> statement-breakpoint
CREATE UNIQUE INDEX "email_suppressions_email_unique" ON "email_suppressions" USING btree ("workspace_id","email");--> statement-breakpoint
CREATE INDEX "email_suppressions_created_idx" ON "email_suppressions" USING btree ("workspace_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "email_templates_name_unique" ON "email_templates" USING btree ("workspace_id",lower("name"));--> statement-breakpoint
CREATE UNIQUE INDEX "email_topics_key_unique" ON "email_topics" USING btree ("workspace_id","key");