CREATE TABLE "cost_lines" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "cost_lines_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"workspace_id" integer DEFAULT 1 NOT NULL,
	"campaign_id" bigint,
	"tool_id" bigint,
	"month" date NOT NULL,
	"category" text NOT NULL,
	"planned" numeric(14, 2) DEFAULT 0 NOT NULL,
	"actual" numeric(14, 2),
	"currency" text DEFAULT 'USD' NOT NULL,
	"note" text,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "cost_lines_key_unique" UNIQUE NULLS NOT DISTINCT("workspace_id","campaign_id","tool_id","month","category"),
	CONSTRAINT "cost_lines_one_link" CHECK (num_nonnulls("cost_lines"."campaign_id", "cost_lines"."tool_id") <= 1),
	CONSTRAINT "cost_lines_first_of_month" CHECK (extract(day from "cost_lines"."month") = 1)
);
--> statement-breakpoint
CREATE TABLE "fitness_snapshots" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "fitness_snapshots_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"workspace_id" integer DEFAULT 1 NOT NULL,
	"taken_at" timestamp with time zone DEFAULT now() NOT NULL,
	"day" date NOT NULL,
	"trigger" text NOT NULL,
	"yes_count" integer NOT NULL,
	"scorecard" jsonb NOT NULL,
	"created_by" integer
);
--> statement-breakpoint
CREATE TABLE "job_map_steps" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "job_map_steps_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"workspace_id" integer DEFAULT 1 NOT NULL,
	"key" text NOT NULL,
	"position" integer NOT NULL,
	"name" text NOT NULL,
	"goal" text DEFAULT '' NOT NULL,
	"outcomes" text[] DEFAULT '{}'::text[] NOT NULL,
	"is_step_zero" boolean DEFAULT false NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tool_steps" (
	"tool_id" bigint NOT NULL,
	"step_id" bigint NOT NULL,
	CONSTRAINT "tool_steps_tool_id_step_id_pk" PRIMARY KEY("tool_id","step_id")
);
--> statement-breakpoint
CREATE TABLE "tools" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "tools_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"workspace_id" integer DEFAULT 1 NOT NULL,
	"name" text NOT NULL,
	"vendor" text,
	"annual_cost" numeric(14, 2),
	"currency" text DEFAULT 'USD' NOT NULL,
	"owner_id" integer,
	"objective_id" bigint,
	"note" text,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "content_items" ADD COLUMN "objective_id" bigint;--> statement-breakpoint
ALTER TABLE "cost_lines" ADD CONSTRAINT "cost_lines_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cost_lines" ADD CONSTRAINT "cost_lines_tool_id_tools_id_fk" FOREIGN KEY ("tool_id") REFERENCES "public"."tools"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cost_lines" ADD CONSTRAINT "cost_lines_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fitness_snapshots" ADD CONSTRAINT "fitness_snapshots_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tool_steps" ADD CONSTRAINT "tool_steps_tool_id_tools_id_fk" FOREIGN KEY ("tool_id") REFERENCES "public"."tools"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tool_steps" ADD CONSTRAINT "tool_steps_step_id_job_map_steps_id_fk" FOREIGN KEY ("step_id") REFERENCES "public"."job_map_steps"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tools" ADD CONSTRAINT "tools_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tools" ADD CONSTRAINT "tools_objective_id_objectives_id_fk" FOREIGN KEY ("objective_id") REFERENCES "public"."objectives"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tools" ADD CONSTRAINT "tools_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "cost_lines_month_idx" ON "cost_lines" USING btree ("workspace_id","month");--> statement-breakpoint
CREATE INDEX "cost_lines_campaign_idx" ON "cost_lines" USING btree ("campaign_id");--> statement-breakpoint
CREATE INDEX "cost_lines_tool_idx" ON "cost_lines" USING btree ("tool_id");--> statement-breakpoint
CREATE INDEX "fitness_snapshots_day_idx" ON "fitness_snapshots" USING btree ("workspace_id","day");--> statement-breakpoint
CREATE UNIQUE INDEX "job_map_steps_key_unique" ON "job_map_steps" USING btree ("workspace_id","key");--> statement-breakpoint
CREATE INDEX "tool_steps_step_idx" ON "tool_steps" USING btree ("step_id");--> statement-breakpoint
CREATE UNIQUE INDEX "tools_name_unique" ON "tools" USING btree ("workspace_id",lower("name"));--> statement-breakpoint
CREATE INDEX "tools_objective_idx" ON "tools" USING btree ("workspace_id","objective_id");--> statement-breakpoint
ALTER TABLE "content_items" ADD CONSTRAINT "content_items_objective_id_objectives_id_fk" FOREIGN KEY ("objective_id") REFERENCES "public"."objectives"("id") ON DELETE set null ON UPDATE no action;