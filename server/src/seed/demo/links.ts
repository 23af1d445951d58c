import type pg from 'pg';

/**
 * Synthetic 党员联户 for the demo data: in every village, households are dealt to the village's members in address
 * order, round-robin, so loads are even (≈ households / members); businesses likewise. A deterministic ~3% of
 * households and ~10% of businesses stay unlinked so coverage, the unlinked list and suggestions have work to show.
 * One set-based statement per kind: seconds even at full scale.
 */
export async function generateLinks(client: pg.ClientBase, seed: number): Promise<{ households: number; businesses: number }> {
  const start = '2021-09-10'; // the program's launch (the source speech is dated 2021-09-10)
  const hh = await client.query(`
    WITH m AS (
      SELECT id, org_id, row_number() OVER (PARTITION BY org_id ORDER BY id) - 1 AS i, count(*) OVER (PARTITION BY org_id) AS n
      FROM people WHERE kind = 'member'),
    h AS (
      SELECT id, org_id, row_number() OVER (PARTITION BY org_id ORDER BY address, id) - 1 AS i
      FROM households WHERE synthetic AND removed_at IS NULL
        AND NOT EXISTS (SELECT 1 FROM links l WHERE l.household_id = households.id AND l.ends_on IS NULL)
        AND abs(hashtext(id::text || $1)) % 100 >= 3)
    INSERT INTO links (person_id, household_id, role, org_id, starts_on, synthetic)
    SELECT m.id, h.id, 'primary', h.org_id, $2::date, true FROM h JOIN m ON m.org_id = h.org_id AND m.i = h.i % m.n`,
  [String(seed), start]);
  const bz = await client.query(`
    WITH m AS (
      SELECT id, org_id, row_number() OVER (PARTITION BY org_id ORDER BY id DESC) - 1 AS i, count(*) OVER (PARTITION BY org_id) AS n
      FROM people WHERE kind = 'member'),
    b AS (
      SELECT id, org_id, row_number() OVER (PARTITION BY org_id ORDER BY name, id) - 1 AS i
      FROM businesses WHERE synthetic AND removed_at IS NULL
        AND NOT EXISTS (SELECT 1 FROM links l WHERE l.business_id = businesses.id AND l.ends_on IS NULL)
        AND abs(hashtext(id::text || $1)) % 100 >= 10)
    INSERT INTO links (person_id, business_id, role, org_id, starts_on, synthetic)
    SELECT m.id, b.id, 'primary', b.org_id, $2::date, true FROM b JOIN m ON m.org_id = b.org_id AND m.i = b.i % m.n`,
  [String(seed), start]);
  return { households: hh.rowCount ?? 0, businesses: bz.rowCount ?? 0 };
}
