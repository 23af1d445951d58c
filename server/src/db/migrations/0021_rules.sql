CREATE TABLE "visit_completion" (
	"org_id" uuid NOT NULL,
	"period_kind" text NOT NULL,
	"period_start" date NOT NULL,
	"due" integer DEFAULT 0 NOT NULL,
	"met" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "visit_completion_org_id_period_kind_period_start_pk" PRIMARY KEY("org_id","period_kind","period_start")
);
--> statement-breakpoint
DROP INDEX "visit_rules_org_idx";--> statement-breakpoint
ALTER TABLE "visit_completion" ADD CONSTRAINT "visit_completion_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "visit_rules_scope_key" ON "visit_rules" USING btree ("org_id","kind","tag");