CREATE TABLE "coverage_rollups" (
	"org_id" uuid PRIMARY KEY NOT NULL,
	"households" integer DEFAULT 0 NOT NULL,
	"households_linked" integer DEFAULT 0 NOT NULL,
	"enterprises" integer DEFAULT 0 NOT NULL,
	"enterprises_linked" integer DEFAULT 0 NOT NULL,
	"shops" integer DEFAULT 0 NOT NULL,
	"shops_linked" integer DEFAULT 0 NOT NULL,
	"teams" integer DEFAULT 0 NOT NULL,
	"teams_linked" integer DEFAULT 0 NOT NULL,
	"members" integer DEFAULT 0 NOT NULL,
	"members_under" integer DEFAULT 0 NOT NULL,
	"members_within" integer DEFAULT 0 NOT NULL,
	"members_over" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "links" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"person_id" uuid NOT NULL,
	"household_id" uuid,
	"business_id" uuid,
	"role" text NOT NULL,
	"org_id" uuid NOT NULL,
	"starts_on" date NOT NULL,
	"ends_on" date,
	"end_reason" text,
	"created_by" uuid,
	"synthetic" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "links_one_constituent" CHECK (num_nonnulls("links"."household_id", "links"."business_id") = 1),
	CONSTRAINT "links_dates" CHECK ("links"."ends_on" IS NULL OR "links"."ends_on" >= "links"."starts_on")
);
--> statement-breakpoint
CREATE TABLE "settings" (
	"key" text PRIMARY KEY NOT NULL,
	"value" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "coverage_rollups" ADD CONSTRAINT "coverage_rollups_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "links" ADD CONSTRAINT "links_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "links" ADD CONSTRAINT "links_household_id_households_id_fk" FOREIGN KEY ("household_id") REFERENCES "households"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "links" ADD CONSTRAINT "links_business_id_businesses_id_fk" FOREIGN KEY ("business_id") REFERENCES "businesses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "links" ADD CONSTRAINT "links_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "links" ADD CONSTRAINT "links_created_by_accounts_id_fk" FOREIGN KEY ("created_by") REFERENCES "accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "links_household_primary_key" ON "links" USING btree ("household_id") WHERE "links"."role" = 'primary' AND "links"."ends_on" IS NULL AND "links"."household_id" IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "links_business_primary_key" ON "links" USING btree ("business_id") WHERE "links"."role" = 'primary' AND "links"."ends_on" IS NULL AND "links"."business_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "links_person_active_idx" ON "links" USING btree ("person_id") WHERE "links"."ends_on" IS NULL;--> statement-breakpoint
CREATE INDEX "links_household_idx" ON "links" USING btree ("household_id");--> statement-breakpoint
CREATE INDEX "links_business_idx" ON "links" USING btree ("business_id");--> statement-breakpoint
CREATE INDEX "links_org_active_idx" ON "links" USING btree ("org_id") WHERE "links"."ends_on" IS NULL;--> statement-breakpoint
-- Load per member (households linked as primary): 5–20 from comparable schemes (MISSION.md "Scale"); editable.
INSERT INTO "settings" ("key", "value") VALUES ('links.targetLoad', '{"min": 5, "max": 20}');
