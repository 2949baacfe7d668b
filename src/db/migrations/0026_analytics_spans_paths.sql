CREATE TABLE "analytics_paths" (
	"workspace_id" integer DEFAULT 1 NOT NULL,
	"contact_id" bigint NOT NULL,
	"first_at" timestamp with time zone NOT NULL,
	"last_at" timestamp with time zone NOT NULL,
	"campaign_path" text NOT NULL,
	"channel_path" text NOT NULL,
	"content_path" text,
	CONSTRAINT "analytics_paths_workspace_id_contact_id_pk" PRIMARY KEY("workspace_id","contact_id")
);
--> statement-breakpoint
CREATE TABLE "analytics_spans" (
	"workspace_id" integer DEFAULT 1 NOT NULL,
	"transition_id" bigint NOT NULL,
	"contact_id" bigint NOT NULL,
	"stage" text NOT NULL,
	"entered_at" timestamp with time zone NOT NULL,
	"left_at" timestamp with time zone,
	CONSTRAINT "analytics_spans_workspace_id_transition_id_pk" PRIMARY KEY("workspace_id","transition_id")
);
--> statement-breakpoint
ALTER TABLE "analytics_state" ADD COLUMN "campaigns_key" text;--> statement-breakpoint
CREATE INDEX "analytics_paths_window_idx" ON "analytics_paths" USING btree ("workspace_id","first_at","last_at");--> statement-breakpoint
CREATE INDEX "analytics_spans_contact_idx" ON "analytics_spans" USING btree ("contact_id");--> statement-breakpoint
CREATE INDEX "analytics_spans_left_idx" ON "analytics_spans" USING btree ("workspace_id","left_at");--> statement-breakpoint
CREATE INDEX "analytics_spans_entered_idx" ON "analytics_spans" USING btree ("workspace_id","entered_at");