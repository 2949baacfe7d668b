CREATE TABLE "analytics_nurture" (
	"workspace_id" integer DEFAULT 1 NOT NULL,
	"contact_id" bigint NOT NULL,
	"sales_ready_at" timestamp with time zone NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	CONSTRAINT "analytics_nurture_workspace_id_contact_id_pk" PRIMARY KEY("workspace_id","contact_id")
);
--> statement-breakpoint
CREATE INDEX "analytics_nurture_ready_idx" ON "analytics_nurture" USING btree ("workspace_id","sales_ready_at");