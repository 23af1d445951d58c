CREATE TABLE "target_loads" (
	"org_id" uuid PRIMARY KEY NOT NULL,
	"min" integer NOT NULL,
	"max" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" uuid,
	CONSTRAINT "target_loads_range" CHECK ("target_loads"."min" >= 0 AND "target_loads"."min" <= "target_loads"."max")
);
--> statement-breakpoint
ALTER TABLE "target_loads" ADD CONSTRAINT "target_loads_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "target_loads" ADD CONSTRAINT "target_loads_updated_by_accounts_id_fk" FOREIGN KEY ("updated_by") REFERENCES "accounts"("id") ON DELETE no action ON UPDATE no action;