-- 反映事项 default categories (configuration: the office edits, retires and adds to them on the settings page).
-- ON CONFLICT DO NOTHING: a category already there keeps the name and order the office gave it.
INSERT INTO item_categories (code, name, sort_key, active) VALUES
  ('employment', '就业', 10, true),
  ('medical', '医疗', 20, true),
  ('education', '教育', 30, true),
  ('housing', '住房', 40, true),
  ('assistance', '低保救助', 50, true),
  ('dispute', '矛盾纠纷', 60, true),
  ('infrastructure', '基础设施', 70, true),
  ('environment', '环境卫生', 80, true),
  ('business', '企业经营', 90, true),
  ('other', '其他', 100, true)
ON CONFLICT (code) DO NOTHING;
