CREATE TABLE "analytics_path_edges" (
	"workspace_id" integer DEFAULT 1 NOT NULL,
	"path_kind" text NOT NULL,
	"first_month" timestamp with time zone NOT NULL,
	"last_month" timestamp with time zone NOT NULL,
	"from_state" text NOT NULL,
	"to_state" text NOT NULL,
	"n" integer NOT NULL,
	CONSTRAINT "analytics_path_edges_workspace_id_path_kind_first_month_last_month_from_state_to_state_pk" PRIMARY KEY("workspace_id","path_kind","first_month","last_month","from_state","to_state")
);
--> statement-breakpoint
CREATE INDEX "analytics_paths_last_idx" ON "analytics_paths" USING btree ("workspace_id","last_at");