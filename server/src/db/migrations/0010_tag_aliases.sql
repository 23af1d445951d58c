ALTER TABLE "tag_definitions" ADD COLUMN "aliases" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
-- The words people write for each default tag (the import and the households API accept code, name or alias; the code
-- is stored). Editable data like the tags themselves.
UPDATE "tag_definitions" SET "aliases" = v.aliases FROM (VALUES
  ('低保', ARRAY['城乡低保', '低保对象', '低保家庭', '最低生活保障']),
  ('特困', ARRAY['特困户', '特困人员', '特困供养人员', '五保', '五保户', '五保老人']),
  ('残疾', ARRAY['残疾户', '残疾人员', '残障']),
  ('独居老人', ARRAY['空巢老人', '孤寡老人', '独居']),
  ('留守儿童', ARRAY['农村留守儿童', '留守孩子']),
  ('重病', ARRAY['重病户', '大病', '大病患者', '重大疾病']),
  ('退役军人', ARRAY['退伍军人', '复员军人', '转业军人']),
  ('脱贫户', ARRAY['脱贫', '脱贫人口', '建档立卡户', '建档立卡贫困户'])
) AS v(code, aliases) WHERE "tag_definitions"."code" = v.code;
