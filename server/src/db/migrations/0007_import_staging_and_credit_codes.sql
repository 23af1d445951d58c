DROP TABLE "import_households" CASCADE;--> statement-breakpoint
DROP TABLE "import_residents" CASCADE;--> statement-breakpoint
CREATE UNIQUE INDEX "businesses_credit_code_live_key" ON "businesses" USING btree ("credit_code") WHERE "businesses"."removed_at" IS NULL AND "businesses"."credit_code" IS NOT NULL;