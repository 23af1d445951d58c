CREATE TABLE "grid_leaders" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"grid_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"starts_on" date NOT NULL,
	"ends_on" date,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "grid_leaders" ADD CONSTRAINT "grid_leaders_grid_id_orgs_id_fk" FOREIGN KEY ("grid_id") REFERENCES "orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grid_leaders" ADD CONSTRAINT "grid_leaders_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grid_leaders" ADD CONSTRAINT "grid_leaders_created_by_accounts_id_fk" FOREIGN KEY ("created_by") REFERENCES "accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "grid_leaders_current_key" ON "grid_leaders" USING btree ("grid_id") WHERE "grid_leaders"."ends_on" IS NULL;--> statement-breakpoint
CREATE INDEX "grid_leaders_person_idx" ON "grid_leaders" USING btree ("person_id");