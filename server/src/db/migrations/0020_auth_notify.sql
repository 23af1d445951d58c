-- Server copies cache resolved sessions for a few seconds (plugins/session-cache.ts). Anything a resolved session
-- depends on changing — a session revoked, an account disabled or its password reset, a role granted or taken, the
-- login-security policy, an org renamed or moved — tells every copy to drop its cache, whoever made the change (another
-- copy, create-admin, a restore). Statement-level: one notification per statement, and PostgreSQL folds identical
-- notifications within a transaction into one, delivered at commit.
CREATE OR REPLACE FUNCTION lx_notify_auth() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('lianxin_auth', TG_TABLE_NAME);
  RETURN NULL;
END $$;
--> statement-breakpoint
-- Only what a resolved session reads: the minute-by-minute idle touch (last_seen_at) must not clear every cache.
CREATE TRIGGER sessions_notify_auth AFTER UPDATE OF revoked_at, expires_at OR DELETE ON sessions FOR EACH STATEMENT EXECUTE FUNCTION lx_notify_auth();
--> statement-breakpoint
CREATE TRIGGER accounts_notify_auth AFTER UPDATE OF username, display_name, person_id, disabled, demo, must_change_password, totp_enabled_at OR DELETE ON accounts FOR EACH STATEMENT EXECUTE FUNCTION lx_notify_auth();
--> statement-breakpoint
CREATE TRIGGER account_roles_notify_auth AFTER INSERT OR UPDATE OR DELETE ON account_roles FOR EACH STATEMENT EXECUTE FUNCTION lx_notify_auth();
--> statement-breakpoint
CREATE TRIGGER settings_notify_auth AFTER INSERT OR UPDATE OR DELETE ON settings FOR EACH STATEMENT EXECUTE FUNCTION lx_notify_auth();
--> statement-breakpoint
CREATE TRIGGER orgs_notify_auth AFTER UPDATE ON orgs FOR EACH STATEMENT EXECUTE FUNCTION lx_notify_auth();
