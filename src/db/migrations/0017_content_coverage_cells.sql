CREATE TABLE "content_coverage_cells" (
	"workspace_id" integer DEFAULT 1 NOT NULL,
	"facet" text NOT NULL,
	"stage" text NOT NULL,
	"type" text NOT NULL,
	"influenced" integer DEFAULT 0 NOT NULL,
	"pipeline" numeric(18, 2) DEFAULT '0' NOT NULL,
	CONSTRAINT "content_coverage_cells_workspace_id_facet_stage_type_pk" PRIMARY KEY("workspace_id","facet","stage","type")
);
--> statement-breakpoint
CREATE TABLE "content_coverage_state" (
	"workspace_id" integer PRIMARY KEY NOT NULL,
	"items_key" text NOT NULL,
	"refreshed_at" timestamp with time zone NOT NULL
);
