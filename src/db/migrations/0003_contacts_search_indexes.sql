DROP INDEX "contacts_account_idx";--> statement-breakpoint
DROP INDEX "contacts_owner_idx";--> statement-breakpoint
CREATE INDEX "contacts_first_name_lower_idx" ON "contacts" USING btree ("workspace_id",lower("first_name") text_pattern_ops);--> statement-breakpoint
CREATE INDEX "contacts_last_name_lower_idx" ON "contacts" USING btree ("workspace_id",lower("last_name") text_pattern_ops);--> statement-breakpoint
CREATE INDEX "contacts_account_idx" ON "contacts" USING btree ("account_id","workspace_id","created_at","id");--> statement-breakpoint
CREATE INDEX "contacts_owner_idx" ON "contacts" USING btree ("owner_id","workspace_id","created_at","id");