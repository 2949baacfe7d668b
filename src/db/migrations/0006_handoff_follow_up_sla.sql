ALTER TABLE "handoffs" ADD COLUMN "follow_up_due_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "handoffs" ADD COLUMN "follow_up_breached_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "handoffs_follow_up_due_idx" ON "handoffs" USING btree ("follow_up_due_at") WHERE status = 'accepted' and follow_up_breached_at is null;