CREATE TABLE "job_runs" (
	"name" text PRIMARY KEY NOT NULL,
	"last_job_id" text,
	"last_status" text NOT NULL,
	"last_started_at" timestamp with time zone NOT NULL,
	"last_finished_at" timestamp with time zone,
	"detail" jsonb,
	"last_failed_at" timestamp with time zone,
	"last_error" text
);
