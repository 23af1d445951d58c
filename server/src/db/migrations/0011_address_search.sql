-- Addresses as people read them (server/src/lib/address.ts is the same rule in TypeScript; address.test.ts runs both
-- over one table of cases).
-- NFKC (full width → half width), no whitespace, ASCII lower case, Chinese numerals before a unit → Arabic digits
-- (三 → 3, 十一 → 11, 一百零五 → 105; without 十/百 digit by digit: 一〇五 → 105). Cheap steps first: most addresses are
-- already NFKC and have Arabic numbers, and the function runs for every row an import writes.
CREATE FUNCTION lx_address_norm(s text) RETURNS text LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
  t text := lower(translate(CASE WHEN s IS NFKC NORMALIZED THEN s ELSE normalize(s, NFKC) END, E' \t\n\r\f\v', '') COLLATE "C");
  m text[];
  res text := '';
  total int;
  cur int;
  c text;
BEGIN
  IF t !~ '[零〇一二两三四五六七八九十百]' THEN
    RETURN t;
  END IF;
  LOOP
    m := regexp_match(t, '^(.*?)([零〇一二两三四五六七八九十百]+)(组|号|排|栋|幢|单元|楼|层|室|巷|街|队|区|期|座)(.*)$');
    EXIT WHEN m IS NULL;
    -- Written out here rather than in a helper function: a stored generated column must not depend on search_path.
    IF m[2] !~ '[十百]' THEN
      res := res || m[1] || translate(m[2], '零〇一二两三四五六七八九', '001223456789') || m[3];
    ELSE
      total := 0;
      cur := 0;
      FOREACH c IN ARRAY regexp_split_to_array(m[2], '') LOOP
        IF c = '十' THEN total := total + (CASE WHEN cur = 0 THEN 1 ELSE cur END) * 10; cur := 0;
        ELSIF c = '百' THEN total := total + (CASE WHEN cur = 0 THEN 1 ELSE cur END) * 100; cur := 0;
        ELSE cur := translate(c, '零〇一二两三四五六七八九', '001223456789')::int;
        END IF;
      END LOOP;
      res := res || m[1] || (total + cur)::text || m[3];
    END IF;
    t := m[4];
  END LOOP;
  RETURN res || t;
END;
$$;--> statement-breakpoint
-- Order as people read: ICU's numeric collation compares digit runs by value (1组 9号 < 1组 10号 < 1组 19号); on the
-- normalized address, 三组 sorts with 3组. Both engines ship ICU (PostgreSQL 15 from Debian, embedded 18).
CREATE COLLATION lx_natural (provider = icu, locale = 'und-u-kn-true');--> statement-breakpoint
ALTER TABLE "people" ADD COLUMN "name_initials" text;--> statement-breakpoint
ALTER TABLE "businesses" ADD COLUMN "address_norm" text COLLATE lx_natural GENERATED ALWAYS AS (lx_address_norm(address)) STORED NOT NULL;--> statement-breakpoint
ALTER TABLE "businesses" ADD COLUMN "contact_phone_tail" text;--> statement-breakpoint
ALTER TABLE "households" ADD COLUMN "address_norm" text COLLATE lx_natural GENERATED ALWAYS AS (lx_address_norm(address)) STORED NOT NULL;--> statement-breakpoint
ALTER TABLE "residents" ADD COLUMN "phone_tail" text;--> statement-breakpoint
CREATE INDEX "people_initials_idx" ON "people" USING btree ("name_initials" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "businesses_org_address_idx" ON "businesses" USING btree ("org_id","address_norm","id");--> statement-breakpoint
CREATE INDEX "businesses_phone_tail_idx" ON "businesses" USING btree ("contact_phone_tail") WHERE "businesses"."contact_phone_tail" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "households_org_address_idx" ON "households" USING btree ("org_id","address_norm","id");--> statement-breakpoint
CREATE INDEX "residents_phone_tail_idx" ON "residents" USING btree ("phone_tail") WHERE "residents"."phone_tail" IS NOT NULL AND "residents"."left_on" IS NULL;--> statement-breakpoint
CREATE INDEX "residents_phone_tail_missing_idx" ON "residents" USING btree ("id") WHERE "residents"."phone_tail" IS NULL AND "residents"."phone_enc" IS NOT NULL;