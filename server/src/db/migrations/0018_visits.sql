CREATE TABLE "contact_groups" (
	"person_id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"qr_mime" text,
	"qr_bytes" "bytea",
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "item_categories" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"sort_key" integer DEFAULT 0 NOT NULL,
	"active" boolean DEFAULT true NOT NULL
);
--> statement-breakpoint
CREATE TABLE "raised_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"visit_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"household_id" uuid,
	"business_id" uuid,
	"org_id" uuid NOT NULL,
	"category" text NOT NULL,
	"description" text NOT NULL,
	"urgency" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"matter_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "visit_constituent_periods" (
	"constituent_id" uuid NOT NULL,
	"period_kind" text NOT NULL,
	"period_start" date NOT NULL,
	"visits" integer DEFAULT 0 NOT NULL,
	"last_visited_at" timestamp with time zone NOT NULL,
	CONSTRAINT "visit_constituent_periods_constituent_id_period_kind_period_start_pk" PRIMARY KEY("constituent_id","period_kind","period_start")
);
--> statement-breakpoint
CREATE TABLE "visit_member_months" (
	"person_id" uuid NOT NULL,
	"month" date NOT NULL,
	"visits" integer DEFAULT 0 NOT NULL,
	"constituents_visited" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "visit_member_months_person_id_month_pk" PRIMARY KEY("person_id","month")
);
--> statement-breakpoint
CREATE TABLE "visit_photos" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"visit_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"mime" text NOT NULL,
	"width" integer NOT NULL,
	"height" integer NOT NULL,
	"bytes" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "visit_residents" (
	"visit_id" uuid NOT NULL,
	"resident_id" uuid NOT NULL,
	CONSTRAINT "visit_residents_visit_id_resident_id_pk" PRIMARY KEY("visit_id","resident_id")
);
--> statement-breakpoint
CREATE TABLE "visit_rules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"tag" text DEFAULT '' NOT NULL,
	"period" text NOT NULL,
	"min_visits" integer NOT NULL,
	"channels" text[],
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" uuid,
	CONSTRAINT "visit_rules_min" CHECK ("visit_rules"."min_visits" >= 0 AND "visit_rules"."min_visits" <= 31)
);
--> statement-breakpoint
CREATE TABLE "visit_village_months" (
	"org_id" uuid NOT NULL,
	"month" date NOT NULL,
	"visits" integer DEFAULT 0 NOT NULL,
	"in_person" integer DEFAULT 0 NOT NULL,
	"evening" integer DEFAULT 0 NOT NULL,
	"phone" integer DEFAULT 0 NOT NULL,
	"wechat" integer DEFAULT 0 NOT NULL,
	"video" integer DEFAULT 0 NOT NULL,
	"households_visited" integer DEFAULT 0 NOT NULL,
	"businesses_visited" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "visit_village_months_org_id_month_pk" PRIMARY KEY("org_id","month")
);
--> statement-breakpoint
CREATE TABLE "visits" (
	"id" uuid PRIMARY KEY NOT NULL,
	"person_id" uuid NOT NULL,
	"link_id" uuid,
	"basis" text NOT NULL,
	"household_id" uuid,
	"business_id" uuid,
	"org_id" uuid NOT NULL,
	"visited_at" timestamp with time zone NOT NULL,
	"visited_on" date NOT NULL,
	"channel" text NOT NULL,
	"notes" text DEFAULT '' NOT NULL,
	"proxy" boolean DEFAULT false NOT NULL,
	"entered_by" uuid NOT NULL,
	"content_hash" text NOT NULL,
	"synthetic" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" uuid,
	CONSTRAINT "visits_one_constituent" CHECK (num_nonnulls("visits"."household_id", "visits"."business_id") = 1)
);
--> statement-breakpoint
ALTER TABLE "contact_groups" ADD CONSTRAINT "contact_groups_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "raised_items" ADD CONSTRAINT "raised_items_visit_id_visits_id_fk" FOREIGN KEY ("visit_id") REFERENCES "visits"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "raised_items" ADD CONSTRAINT "raised_items_household_id_households_id_fk" FOREIGN KEY ("household_id") REFERENCES "households"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "raised_items" ADD CONSTRAINT "raised_items_business_id_businesses_id_fk" FOREIGN KEY ("business_id") REFERENCES "businesses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "raised_items" ADD CONSTRAINT "raised_items_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "raised_items" ADD CONSTRAINT "raised_items_category_item_categories_code_fk" FOREIGN KEY ("category") REFERENCES "item_categories"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visit_member_months" ADD CONSTRAINT "visit_member_months_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visit_photos" ADD CONSTRAINT "visit_photos_visit_id_visits_id_fk" FOREIGN KEY ("visit_id") REFERENCES "visits"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visit_residents" ADD CONSTRAINT "visit_residents_visit_id_visits_id_fk" FOREIGN KEY ("visit_id") REFERENCES "visits"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visit_residents" ADD CONSTRAINT "visit_residents_resident_id_residents_id_fk" FOREIGN KEY ("resident_id") REFERENCES "residents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visit_rules" ADD CONSTRAINT "visit_rules_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visit_rules" ADD CONSTRAINT "visit_rules_updated_by_accounts_id_fk" FOREIGN KEY ("updated_by") REFERENCES "accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visit_village_months" ADD CONSTRAINT "visit_village_months_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visits" ADD CONSTRAINT "visits_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visits" ADD CONSTRAINT "visits_link_id_links_id_fk" FOREIGN KEY ("link_id") REFERENCES "links"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visits" ADD CONSTRAINT "visits_household_id_households_id_fk" FOREIGN KEY ("household_id") REFERENCES "households"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visits" ADD CONSTRAINT "visits_business_id_businesses_id_fk" FOREIGN KEY ("business_id") REFERENCES "businesses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visits" ADD CONSTRAINT "visits_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visits" ADD CONSTRAINT "visits_entered_by_accounts_id_fk" FOREIGN KEY ("entered_by") REFERENCES "accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visits" ADD CONSTRAINT "visits_updated_by_accounts_id_fk" FOREIGN KEY ("updated_by") REFERENCES "accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "raised_items_household_idx" ON "raised_items" USING btree ("household_id") WHERE "raised_items"."household_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "raised_items_business_idx" ON "raised_items" USING btree ("business_id") WHERE "raised_items"."business_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "raised_items_org_open_idx" ON "raised_items" USING btree ("org_id") WHERE "raised_items"."status" = 'open';--> statement-breakpoint
CREATE INDEX "visit_photos_visit_idx" ON "visit_photos" USING btree ("visit_id","seq");--> statement-breakpoint
CREATE INDEX "visit_residents_resident_idx" ON "visit_residents" USING btree ("resident_id");--> statement-breakpoint
CREATE INDEX "visit_rules_org_idx" ON "visit_rules" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "visits_person_idx" ON "visits" USING btree ("person_id","visited_at");--> statement-breakpoint
CREATE INDEX "visits_household_idx" ON "visits" USING btree ("household_id","visited_at") WHERE "visits"."household_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "visits_business_idx" ON "visits" USING btree ("business_id","visited_at") WHERE "visits"."business_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "visits_org_day_idx" ON "visits" USING btree ("org_id","visited_on");