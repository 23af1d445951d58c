CREATE TABLE "businesses" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"org_id" uuid NOT NULL,
	"grid_id" uuid,
	"parent_id" uuid,
	"name" text NOT NULL,
	"name_initials" text DEFAULT '' NOT NULL,
	"address" text NOT NULL,
	"credit_code" text,
	"contact_name" text,
	"contact_phone_enc" text,
	"employees" integer,
	"synthetic" boolean DEFAULT false NOT NULL,
	"removed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tag_definitions" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"vulnerable" boolean DEFAULT true NOT NULL,
	"sort_key" integer DEFAULT 0 NOT NULL,
	"active" boolean DEFAULT true NOT NULL
);
--> statement-breakpoint
DROP INDEX "residents_id_hash_idx";--> statement-breakpoint
ALTER TABLE "households" ADD COLUMN "head_initials" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "households" ADD COLUMN "removed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "households" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "residents" ADD COLUMN "left_on" date;--> statement-breakpoint
ALTER TABLE "residents" ADD COLUMN "left_reason" text;--> statement-breakpoint
ALTER TABLE "businesses" ADD CONSTRAINT "businesses_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "businesses" ADD CONSTRAINT "businesses_grid_id_orgs_id_fk" FOREIGN KEY ("grid_id") REFERENCES "orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "businesses_org_idx" ON "businesses" USING btree ("org_id","kind");--> statement-breakpoint
CREATE INDEX "households_tags_idx" ON "households" USING gin ("tags");--> statement-breakpoint
CREATE INDEX "households_initials_idx" ON "households" USING btree ("head_initials" text_pattern_ops);--> statement-breakpoint
CREATE UNIQUE INDEX "residents_id_hash_key" ON "residents" USING btree ("id_number_hash") WHERE "residents"."left_on" is null;--> statement-breakpoint
-- Default vulnerability tags (困难群体/特殊群体); editable data, the code is the label stored in households.tags.
INSERT INTO "tag_definitions" ("code", "name", "vulnerable", "sort_key") VALUES
  ('低保', '低保户', true, 1), ('特困', '特困供养', true, 2), ('残疾', '残疾人', true, 3),
  ('独居老人', '独居老人', true, 4), ('留守儿童', '留守儿童', true, 5), ('重病', '重病患者', true, 6),
  ('退役军人', '退役军人', false, 7), ('脱贫户', '脱贫户', true, 8);
