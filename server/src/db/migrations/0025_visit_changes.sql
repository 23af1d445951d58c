CREATE TABLE "visit_changes" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"visit_id" uuid NOT NULL,
	"change" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
