CREATE TABLE "contact_cards" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"household_id" uuid,
	"business_id" uuid,
	"issued_by" uuid,
	"issued_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "contact_cards_one_constituent" CHECK (num_nonnulls("contact_cards"."household_id", "contact_cards"."business_id") = 1)
);
--> statement-breakpoint
ALTER TABLE "contact_cards" ADD CONSTRAINT "contact_cards_household_id_households_id_fk" FOREIGN KEY ("household_id") REFERENCES "households"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_cards" ADD CONSTRAINT "contact_cards_business_id_businesses_id_fk" FOREIGN KEY ("business_id") REFERENCES "businesses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_cards" ADD CONSTRAINT "contact_cards_issued_by_accounts_id_fk" FOREIGN KEY ("issued_by") REFERENCES "accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "contact_cards_household_live_key" ON "contact_cards" USING btree ("household_id") WHERE "contact_cards"."revoked_at" IS NULL AND "contact_cards"."household_id" IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "contact_cards_business_live_key" ON "contact_cards" USING btree ("business_id") WHERE "contact_cards"."revoked_at" IS NULL AND "contact_cards"."business_id" IS NOT NULL;