CREATE TABLE "nurture_enrolments" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "nurture_enrolments_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"workspace_id" integer DEFAULT 1 NOT NULL,
	"program_id" integer NOT NULL,
	"version" integer NOT NULL,
	"contact_id" bigint NOT NULL,
	"entry_number" integer DEFAULT 1 NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"step_id" text,
	"seq" integer DEFAULT 0 NOT NULL,
	"next_run_at" timestamp with time zone,
	"wait_since" timestamp with time zone,
	"end_reason" text,
	"entered_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "nurture_program_versions" (
	"program_id" integer NOT NULL,
	"version" integer NOT NULL,
	"definition" jsonb NOT NULL,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "nurture_programs" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "nurture_programs_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"workspace_id" integer DEFAULT 1 NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"status" text DEFAULT 'draft' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"definition" jsonb NOT NULL,
	"created_by" integer,
	"activated_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "nurture_step_runs" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "nurture_step_runs_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"workspace_id" integer DEFAULT 1 NOT NULL,
	"enrolment_id" bigint NOT NULL,
	"program_id" integer NOT NULL,
	"contact_id" bigint NOT NULL,
	"seq" integer NOT NULL,
	"step_id" text NOT NULL,
	"step_type" text NOT NULL,
	"outcome" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"content_item_id" integer,
	"ran_at" timestamp with time zone NOT NULL,
	"worker" text
);
--> statement-breakpoint
ALTER TABLE "nurture_enrolments" ADD CONSTRAINT "nurture_enrolments_program_id_nurture_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."nurture_programs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "nurture_enrolments" ADD CONSTRAINT "nurture_enrolments_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "nurture_program_versions" ADD CONSTRAINT "nurture_program_versions_program_id_nurture_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."nurture_programs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "nurture_program_versions" ADD CONSTRAINT "nurture_program_versions_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "nurture_programs" ADD CONSTRAINT "nurture_programs_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "nurture_step_runs" ADD CONSTRAINT "nurture_step_runs_enrolment_id_nurture_enrolments_id_fk" FOREIGN KEY ("enrolment_id") REFERENCES "public"."nurture_enrolments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "nurture_enrolments_active_unique" ON "nurture_enrolments" USING btree ("program_id","contact_id") WHERE status = 'active';--> statement-breakpoint
CREATE INDEX "nurture_enrolments_due_idx" ON "nurture_enrolments" USING btree ("next_run_at") WHERE status = 'active';--> statement-breakpoint
CREATE INDEX "nurture_enrolments_program_idx" ON "nurture_enrolments" USING btree ("program_id","status","step_id");--> statement-breakpoint
CREATE INDEX "nurture_enrolments_contact_idx" ON "nurture_enrolments" USING btree ("contact_id","program_id");--> statement-breakpoint
CREATE UNIQUE INDEX "nurture_program_versions_pk" ON "nurture_program_versions" USING btree ("program_id","version");--> statement-breakpoint
CREATE UNIQUE INDEX "nurture_programs_name_unique" ON "nurture_programs" USING btree ("workspace_id",lower("name"));--> statement-breakpoint
CREATE INDEX "nurture_programs_status_idx" ON "nurture_programs" USING btree ("workspace_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "nurture_step_runs_key" ON "nurture_step_runs" USING btree ("enrolment_id","seq");--> statement-breakpoint
CREATE INDEX "nurture_step_runs_contact_idx" ON "nurture_step_runs" USING btree ("contact_id","program_id");--> statement-breakpoint
CREATE INDEX "nurture_step_runs_program_idx" ON "nurture_step_runs" USING btree ("program_id","ran_at");