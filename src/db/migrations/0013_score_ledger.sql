CREATE TABLE "score_ledger" (
	"contact_id" bigint NOT NULL,
	"model_id" integer NOT NULL,
	"rule_id" text NOT NULL,
	"workspace_id" integer DEFAULT 1 NOT NULL,
	"times" integer DEFAULT 0 NOT NULL,
	"capped_times" integer DEFAULT 0 NOT NULL,
	"earned" double precision DEFAULT 0 NOT NULL,
	"decay_sum" double precision DEFAULT 0 NOT NULL,
	"first_at" timestamp with time zone NOT NULL,
	"last_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "score_ledger_contact_id_model_id_rule_id_pk" PRIMARY KEY("contact_id","model_id","rule_id")
);
--> statement-breakpoint
CREATE TABLE "score_seen" (
	"contact_id" bigint NOT NULL,
	"event_id" bigint NOT NULL,
	CONSTRAINT "score_seen_contact_id_event_id_pk" PRIMARY KEY("contact_id","event_id")
);
--> statement-breakpoint
ALTER TABLE "score_ledger" ADD CONSTRAINT "score_ledger_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "score_ledger" ADD CONSTRAINT "score_ledger_model_id_score_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."score_models"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "score_seen" ADD CONSTRAINT "score_seen_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "score_ledger_model_contact_idx" ON "score_ledger" USING btree ("model_id","contact_id");