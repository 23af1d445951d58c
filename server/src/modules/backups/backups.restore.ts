import { createHash, type Hash } from 'node:crypto';
import { once } from 'node:events';
import { from as copyFrom } from 'pg-copy-streams';
import type { Database } from '../../db/client.ts';
import { appliedMigration, migrationTags, runMigrations, runMigrationsUpTo } from '../../db/migrate.ts';
import { copyTable, countLines, listTables } from './backups.dump.ts';
import { BackupFileError, readBackup, type BackupManifest, type BackupSink } from './backups.format.ts';

/** The restore was refused before anything was written (non-empty target, newer schema, missing rights). */
export class RestoreRefused extends Error {}

const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;

/** Counts and hashes each table's rows as they stream by and checks them against the manifest when the table ends. */
function checker(manifest: BackupManifest, next?: { table(name: string): Promise<void>; rows(chunk: Buffer): Promise<void>; endTable(): Promise<void> }): BackupSink {
  let i = 0;
  let hash: Hash | null = null;
  let rows = 0;
  return {
    async table(name) {
      if (manifest.tables[i]?.name !== name) throw new BackupFileError(`备份文件的表顺序与清单不符（${name}）`);
      hash = createHash('sha256');
      rows = 0;
      await next?.table(name);
    },
    async rows(chunk) {
      hash!.update(chunk);
      rows += countLines(chunk);
      await next?.rows(chunk);
    },
    async endTable() {
      const t = manifest.tables[i++]!;
      if (rows !== t.rows || hash!.digest('hex') !== t.sha256) {
        throw new BackupFileError(`备份文件中表 ${t.name} 的内容与清单的校验和不符：文件已损坏`);
      }
      await next?.endTable();
    },
  };
}

/** Reads the whole file and checks every table against the manifest's row counts and checksums. */
export async function verifyBackup(file: string): Promise<BackupManifest> {
  let tablesSeen = 0;
  const manifest = await readBackup(file, (m) => {
    const c = checker(m);
    return { ...c, endTable: async () => { await c.endTable(); tablesSeen++; } };
  });
  if (tablesSeen !== manifest.tables.length) throw new BackupFileError('备份文件缺少清单中的表');
  return manifest;
}

/** Tables of ours (current schema) that hold at least one row. */
export async function nonEmptyTables(database: Database): Promise<string[]> {
  const client = await database.pool.connect();
  try {
    const tables = await listTables(client);
    const full: string[] = [];
    for (const t of tables) {
      const { rows } = await client.query(`SELECT 1 FROM ${ident(t.name)} LIMIT 1`);
      if (rows.length) full.push(t.name);
    }
    return full;
  } finally {
    client.release();
  }
}

/**
 * Restores a verified backup into an empty database: migrations up to the backup's version, every table loaded by
 * COPY in one transaction (foreign-key order, with triggers and FK checks off — the rows come from one consistent
 * snapshot and are checked against the manifest again as they load), sequences set, then the remaining migrations.
 */
export async function restoreBackup(database: Database, file: string, log: (m: string) => void = () => {}): Promise<BackupManifest> {
  log(`checking ${file} …`);
  const manifest = await verifyBackup(file);
  const tags = migrationTags();
  const backupAt = tags.indexOf(manifest.migration);
  if (backupAt < 0) {
    throw new RestoreRefused(`备份来自更新的版本（迁移 ${manifest.migration} 本程序不认识）：请用不低于备份时的连心版本恢复`);
  }
  const full = await nonEmptyTables(database);
  if (full.length) {
    throw new RestoreRefused(`目标数据库不是空的（${full.slice(0, 5).join('、')}${full.length > 5 ? ' 等' : ''} 已有数据）：恢复只写入空的 DATA_DIR 或空数据库，不会覆盖现有数据`);
  }
  const applied = await appliedMigration(database);
  if (applied && tags.indexOf(applied) > backupAt) {
    throw new RestoreRefused(`目标数据库的结构（${applied}）比备份（${manifest.migration}）新：请恢复到一个全新的空数据库`);
  }
  const { rows: [role] } = await database.pool.query<{ super: boolean }>('SELECT rolsuper AS super FROM pg_roles WHERE rolname = current_user');
  if (!role?.super) {
    throw new RestoreRefused('恢复需要数据库超级用户（装载时暂停外键和触发器检查）；托管数据库请用服务商的快照或 pg_restore 恢复');
  }

  log(`backup of ${manifest.createdAt}, schema ${manifest.migration}: migrating an empty database to it`);
  await runMigrationsUpTo(database, manifest.migration);
  const client = await database.pool.connect();
  try {
    await client.query('BEGIN');
    // Replica mode skips FK checks and triggers for this transaction only (orgs point at orgs: no order fits every row).
    await client.query('SET LOCAL session_replication_role = replica');
    const present = new Map((await listTables(client)).map((t) => [t.name, t.columns.join(',')]));
    for (const t of manifest.tables) {
      if (present.get(t.name) !== t.columns.join(',')) {
        throw new BackupFileError(`表 ${t.name} 的列与迁移 ${manifest.migration} 建出的结构不符`);
      }
      // The target held no rows before migrating; what is there now the migrations inserted (default settings), and
      // the backup holds its own copy of it.
      await client.query(`DELETE FROM ${ident(t.name)}`);
    }
    let copy: NodeJS.WritableStream | null = null;
    let done: Promise<unknown> | null = null;
    let loaded = 0;
    await readBackup(file, (m) => checker(m, {
      async table(name) {
        const t = manifest.tables.find((x) => x.name === name)!;
        copy = client.query(copyFrom(`COPY ${ident(name)} (${t.columns.map(ident).join(', ')}) FROM STDIN`));
        done = once(copy, 'finish');
      },
      async rows(chunk) {
        if (!copy!.write(chunk)) await once(copy!, 'drain');
      },
      async endTable() {
        copy!.end();
        await done;
        loaded++;
      },
    }));
    for (const s of manifest.sequences) await client.query('SELECT setval($1::regclass, $2, true)', [ident(s.name), s.lastValue]);
    await client.query('COMMIT');
    log(`loaded ${loaded} tables, ${manifest.tables.reduce((n, t) => n + t.rows, 0)} rows`);
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    throw e;
  } finally {
    client.release();
  }
  await runMigrations(database);
  await database.pool.query('ANALYZE');
  return manifest;
}

/** Per-table row counts and checksums of a live database, computed the way a backup computes them (tests, checks). */
export async function contentChecksums(database: Database): Promise<Record<string, { rows: number; sha256: string }>> {
  const client = await database.pool.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const out: Record<string, { rows: number; sha256: string }> = {};
    for (const t of await listTables(client)) {
      const m = await copyTable(client, t, null);
      out[t.name] = { rows: m.rows, sha256: m.sha256 };
    }
    await client.query('COMMIT');
    return out;
  } finally {
    client.release();
  }
}
