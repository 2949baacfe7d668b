CREATE TABLE "notifications" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "notifications_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"workspace_id" integer DEFAULT 1 NOT NULL,
	"user_id" integer NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"body" text,
	"link" text,
	"read_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "buying_stage_rules" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "buying_stage_rules_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"workspace_id" integer DEFAULT 1 NOT NULL,
	"pattern" text NOT NULL,
	"stage" text NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "contact_buying_stages" (
	"contact_id" bigint PRIMARY KEY NOT NULL,
	"workspace_id" integer DEFAULT 1 NOT NULL,
	"stage" text NOT NULL,
	"evidence" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "contact_scores" (
	"contact_id" bigint NOT NULL,
	"model_id" integer NOT NULL,
	"workspace_id" integer DEFAULT 1 NOT NULL,
	"score" double precision NOT NULL,
	"grade" text,
	"breakdown" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"model_version" integer NOT NULL,
	"computed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "contact_scores_contact_id_model_id_pk" PRIMARY KEY("contact_id","model_id")
);
--> statement-breakpoint
CREATE TABLE "rescore_runs" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "rescore_runs_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"workspace_id" integer DEFAULT 1 NOT NULL,
	"model_id" integer,
	"status" text DEFAULT 'queued' NOT NULL,
	"total" integer,
	"processed" integer DEFAULT 0 NOT NULL,
	"error" text,
	"requested_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "score_models" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "score_models_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"workspace_id" integer DEFAULT 1 NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"rules" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"grades" jsonb,
	"half_life_days" double precision,
	"is_default" boolean DEFAULT false NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "score_points" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "score_points_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"workspace_id" integer DEFAULT 1 NOT NULL,
	"contact_id" bigint NOT NULL,
	"model_id" integer NOT NULL,
	"rule_id" text NOT NULL,
	"event_id" bigint,
	"event_name" text,
	"points" double precision NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "scoring_inbox" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "scoring_inbox_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"workspace_id" integer DEFAULT 1 NOT NULL,
	"event_ids" bigint[] NOT NULL,
	"received_from" timestamp with time zone NOT NULL,
	"received_to" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "deal_contacts" (
	"deal_id" bigint NOT NULL,
	"contact_id" bigint NOT NULL,
	"role" text,
	CONSTRAINT "deal_contacts_deal_id_contact_id_pk" PRIMARY KEY("deal_id","contact_id")
);
--> statement-breakpoint
CREATE TABLE "deals" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "deals_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"workspace_id" integer DEFAULT 1 NOT NULL,
	"external_id" text,
	"name" text NOT NULL,
	"amount" numeric(14, 2) DEFAULT 0 NOT NULL,
	"currency" text DEFAULT 'USD' NOT NULL,
	"stage" text DEFAULT 'intent' NOT NULL,
	"close_date" date,
	"owner_id" integer,
	"account_id" bigint,
	"lost_reason" text,
	"won_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "handoffs" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "handoffs_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"workspace_id" integer DEFAULT 1 NOT NULL,
	"contact_id" bigint NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"owner_id" integer,
	"routed_by" text NOT NULL,
	"why" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"due_at" timestamp with time zone,
	"breached_at" timestamp with time zone,
	"decided_at" timestamp with time zone,
	"decided_by" integer,
	"reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "lifecycle_settings" (
	"workspace_id" integer PRIMARY KEY NOT NULL,
	"settings" jsonb NOT NULL,
	"last_routed_user_id" integer,
	"updated_by" integer,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "lifecycle_transitions" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "lifecycle_transitions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"workspace_id" integer DEFAULT 1 NOT NULL,
	"contact_id" bigint NOT NULL,
	"from_stage" text,
	"to_stage" text NOT NULL,
	"cause" text NOT NULL,
	"reason" text,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"actor_type" text NOT NULL,
	"actor_id" integer,
	"actor_label" text NOT NULL,
	"occurred_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sales_ready_approvals" (
	"definition_id" integer NOT NULL,
	"user_id" integer NOT NULL,
	"side" text NOT NULL,
	"decision" text NOT NULL,
	"comment" text,
	"decided_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sales_ready_approvals_definition_id_user_id_pk" PRIMARY KEY("definition_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "sales_ready_definitions" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "sales_ready_definitions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"workspace_id" integer DEFAULT 1 NOT NULL,
	"version" integer NOT NULL,
	"rule" jsonb NOT NULL,
	"notes" text,
	"status" text DEFAULT 'pending' NOT NULL,
	"proposed_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"activated_at" timestamp with time zone,
	"superseded_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_buying_stages" ADD CONSTRAINT "contact_buying_stages_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_scores" ADD CONSTRAINT "contact_scores_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_scores" ADD CONSTRAINT "contact_scores_model_id_score_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."score_models"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rescore_runs" ADD CONSTRAINT "rescore_runs_model_id_score_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."score_models"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rescore_runs" ADD CONSTRAINT "rescore_runs_requested_by_users_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "score_models" ADD CONSTRAINT "score_models_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "score_points" ADD CONSTRAINT "score_points_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "score_points" ADD CONSTRAINT "score_points_model_id_score_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."score_models"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deal_contacts" ADD CONSTRAINT "deal_contacts_deal_id_deals_id_fk" FOREIGN KEY ("deal_id") REFERENCES "public"."deals"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deal_contacts" ADD CONSTRAINT "deal_contacts_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deals" ADD CONSTRAINT "deals_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deals" ADD CONSTRAINT "deals_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "handoffs" ADD CONSTRAINT "handoffs_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "handoffs" ADD CONSTRAINT "handoffs_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "handoffs" ADD CONSTRAINT "handoffs_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lifecycle_settings" ADD CONSTRAINT "lifecycle_settings_last_routed_user_id_users_id_fk" FOREIGN KEY ("last_routed_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lifecycle_settings" ADD CONSTRAINT "lifecycle_settings_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lifecycle_transitions" ADD CONSTRAINT "lifecycle_transitions_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lifecycle_transitions" ADD CONSTRAINT "lifecycle_transitions_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales_ready_approvals" ADD CONSTRAINT "sales_ready_approvals_definition_id_sales_ready_definitions_id_fk" FOREIGN KEY ("definition_id") REFERENCES "public"."sales_ready_definitions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales_ready_approvals" ADD CONSTRAINT "sales_ready_approvals_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales_ready_definitions" ADD CONSTRAINT "sales_ready_definitions_proposed_by_users_id_fk" FOREIGN KEY ("proposed_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "notifications_user_idx" ON "notifications" USING btree ("user_id","id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "buying_stage_rules_workspace_idx" ON "buying_stage_rules" USING btree ("workspace_id","position");--> statement-breakpoint
CREATE INDEX "contact_scores_model_score_idx" ON "contact_scores" USING btree ("model_id","workspace_id","score");--> statement-breakpoint
CREATE INDEX "rescore_runs_workspace_idx" ON "rescore_runs" USING btree ("workspace_id","id");--> statement-breakpoint
CREATE INDEX "score_models_workspace_kind_idx" ON "score_models" USING btree ("workspace_id","kind","id");--> statement-breakpoint
CREATE INDEX "score_points_contact_model_idx" ON "score_points" USING btree ("contact_id","model_id","occurred_at");--> statement-breakpoint
CREATE INDEX "score_points_model_rule_idx" ON "score_points" USING btree ("model_id","rule_id","contact_id","occurred_at");--> statement-breakpoint
CREATE INDEX "deal_contacts_contact_idx" ON "deal_contacts" USING btree ("contact_id");--> statement-breakpoint
CREATE UNIQUE INDEX "deals_external_id_unique" ON "deals" USING btree ("workspace_id","external_id");--> statement-breakpoint
CREATE INDEX "deals_workspace_created_idx" ON "deals" USING btree ("workspace_id","created_at","id");--> statement-breakpoint
CREATE INDEX "deals_account_idx" ON "deals" USING btree ("account_id");--> statement-breakpoint
CREATE INDEX "deals_owner_idx" ON "deals" USING btree ("owner_id");--> statement-breakpoint
CREATE INDEX "handoffs_queue_idx" ON "handoffs" USING btree ("workspace_id","status","created_at");--> statement-breakpoint
CREATE INDEX "handoffs_owner_idx" ON "handoffs" USING btree ("owner_id","status");--> statement-breakpoint
CREATE INDEX "handoffs_contact_idx" ON "handoffs" USING btree ("contact_id","created_at");--> statement-breakpoint
CREATE INDEX "handoffs_due_idx" ON "handoffs" USING btree ("due_at") WHERE status = 'pending' and breached_at is null;--> statement-breakpoint
CREATE UNIQUE INDEX "handoffs_one_pending" ON "handoffs" USING btree ("contact_id") WHERE status = 'pending';--> statement-breakpoint
CREATE INDEX "lifecycle_transitions_contact_idx" ON "lifecycle_transitions" USING btree ("contact_id","occurred_at","id");--> statement-breakpoint
CREATE INDEX "lifecycle_transitions_to_stage_idx" ON "lifecycle_transitions" USING btree ("workspace_id","to_stage","occurred_at");--> statement-breakpoint
CREATE UNIQUE INDEX "sales_ready_definitions_version_unique" ON "sales_ready_definitions" USING btree ("workspace_id","version");--> statement-breakpoint
CREATE UNIQUE INDEX "sales_ready_definitions_one_active" ON "sales_ready_definitions" USING btree ("workspace_id") WHERE status = 'active';