CREATE TABLE "import_errors" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"job_id" uuid NOT NULL,
	"sheet" text NOT NULL,
	"row" integer NOT NULL,
	"column" text NOT NULL,
	"reason" text NOT NULL,
	"values_enc" text
);
--> statement-breakpoint
CREATE TABLE "import_households" (
	"job_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"key" text NOT NULL,
	"row" integer NOT NULL,
	"org_id" uuid,
	"grid_id" uuid,
	"address" text,
	"tags" text[],
	"valid" boolean DEFAULT true NOT NULL,
	"values_enc" text
);
--> statement-breakpoint
CREATE TABLE "import_jobs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"created_by" uuid NOT NULL,
	"org_scope" text[] NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"counts" jsonb DEFAULT '{"rows":0,"validated":0,"errors":0,"written":0}'::jsonb NOT NULL,
	"error_count" integer DEFAULT 0 NOT NULL,
	"file_name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "import_residents" (
	"job_id" uuid NOT NULL,
	"household_key" text NOT NULL,
	"row" integer NOT NULL,
	"name" text NOT NULL,
	"name_initials" text NOT NULL,
	"sex" text NOT NULL,
	"birth_date" date NOT NULL,
	"relation" text NOT NULL,
	"id_number_enc" text NOT NULL,
	"id_number_hash" text NOT NULL,
	"phone_enc" text,
	"away_scope" text,
	"away_place" text,
	"values_enc" text
);
--> statement-breakpoint
ALTER TABLE "import_errors" ADD CONSTRAINT "import_errors_job_id_import_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "import_jobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_households" ADD CONSTRAINT "import_households_job_id_import_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "import_jobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_jobs" ADD CONSTRAINT "import_jobs_created_by_accounts_id_fk" FOREIGN KEY ("created_by") REFERENCES "accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_residents" ADD CONSTRAINT "import_residents_job_id_import_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "import_jobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "import_errors_job_idx" ON "import_errors" USING btree ("job_id","sheet","row");--> statement-breakpoint
CREATE INDEX "import_households_job_idx" ON "import_households" USING btree ("job_id","key");--> statement-breakpoint
CREATE INDEX "import_jobs_creator_idx" ON "import_jobs" USING btree ("created_by","created_at");--> statement-breakpoint
CREATE INDEX "import_residents_job_idx" ON "import_residents" USING btree ("job_id","household_key");--> statement-breakpoint
CREATE INDEX "import_residents_hash_idx" ON "import_residents" USING btree ("job_id","id_number_hash");