import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Prisma as PgPrisma } from '../../src/generated/postgresql/client.js';
import { Prisma as SqlitePrisma } from '../../src/generated/sqlite/client.js';
import { migrateDatabase, readMigrations } from '../../src/storage/migrate.js';
import { openDatabase } from '../../src/storage/db.js';
import { diffDatabaseToSchema, migratedScratchDatabase } from '../../tools/schema-engine.mjs';
import { createTestDatabase, freshDatabaseUrl, testEngines, type TestDatabase } from '../helpers/test-db.js';

const ROOT = resolve(import.meta.dirname, '../..');

function scalarFields(P: Record<string, unknown>, model: string): string[] {
  return Object.values(P[`${model}ScalarFieldEnum`] as Record<string, string>).sort();
}

describe('the two Prisma schemas and their migrations agree', () => {
  test('both committed schema files are generated from prisma/models.prisma.part', () => {
    expect(() => execFileSync('node', ['prisma/build-schemas.mjs', '--check'], { cwd: ROOT, stdio: 'pipe' })).not.toThrow();
  });

  test('both generated clients expose the same models and fields', () => {
    const sqliteModels = Object.values(SqlitePrisma.ModelName).sort();
    expect(Object.values(PgPrisma.ModelName).sort()).toEqual(sqliteModels);
    expect(sqliteModels.length).toBeGreaterThanOrEqual(17);
    for (const model of sqliteModels) {
      expect(scalarFields(PgPrisma as unknown as Record<string, unknown>, model), model).toEqual(scalarFields(SqlitePrisma as unknown as Record<string, unknown>, model));
    }
  });

  test('SQLite: the committed migrations produce exactly the schema (schema engine diff is empty)', async () => {
    const scratch = await migratedScratchDatabase('sqlite', { root: ROOT });
    try {
      const diff = await diffDatabaseToSchema({ schemaPath: resolve(ROOT, 'prisma/sqlite/schema.prisma'), adapter: scratch.adapter });
      expect(diff.sql).toContain('This is an empty migration');
      expect(diff.empty).toBe(true);
    } finally {
      await scratch.cleanup();
    }
  });

  test('SQLite: the diff has teeth (a database without migrations is not empty)', async () => {
    const scratch = await migratedScratchDatabase('sqlite', { root: ROOT, apply: false });
    try {
      const diff = await diffDatabaseToSchema({ schemaPath: resolve(ROOT, 'prisma/sqlite/schema.prisma'), adapter: scratch.adapter });
      expect(diff.empty).toBe(false);
      expect(diff.sql).toContain('CREATE TABLE "Deal"');
    } finally {
      await scratch.cleanup();
    }
  });

  describe.runIf(Boolean(process.env.TEST_DATABASE_URL))('PostgreSQL matches SQLite table by table', () => {
    let sqliteDb: TestDatabase;
    let pgDb: TestDatabase;
    beforeAll(async () => {
      sqliteDb = await createTestDatabase('sqlite');
      pgDb = await createTestDatabase('postgresql');
    });
    afterAll(async () => {
      await sqliteDb?.drop();
      await pgDb?.drop();
    });

    test('instances starting together migrate once', async () => {
      const { url, cleanup } = await freshDatabaseUrl('postgresql');
      const dbs = [openDatabase(url), openDatabase(url), openDatabase(url)];
      try {
        const results = await Promise.all(dbs.map((db) => migrateDatabase(db)));
        const appliedCounts = results.map((r) => r.applied.length).sort();
        expect(appliedCounts[0]).toBe(0);
        expect(appliedCounts[1]).toBe(0);
        expect(appliedCounts[2]).toBeGreaterThan(0);
        const rows = await dbs[0]!.query<{ n: unknown }>(`SELECT COUNT(*) AS n FROM "_prisma_migrations"`);
        expect(Number(rows[0]!.n)).toBe(appliedCounts[2]);
      } finally {
        for (const db of dbs) await db.close();
        await cleanup();
      }
    });

    test('same tables, columns, nullability and index names', async () => {
      const file = sqliteDb.url.slice('file:'.length);
      const lite = new Database(file, { readonly: true });
      const liteTables = (lite.prepare(`SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' AND name <> '_prisma_migrations' ORDER BY name`).all() as Array<{ name: string }>).map((r) => r.name);
      const liteColumns = liteTables.flatMap((t) => (lite.prepare(`PRAGMA table_info("${t}")`).all() as Array<{ name: string; notnull: number; pk: number }>).map((c) => `${t}.${c.name}:${c.notnull || c.pk ? 'NOT NULL' : 'NULL'}`)).sort();
      const liteIndexes = (lite.prepare(`SELECT name FROM sqlite_master WHERE type='index' AND name NOT LIKE 'sqlite_%'`).all() as Array<{ name: string }>).map((r) => r.name).sort();
      lite.close();

      const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
      await client.connect();
      const schema = pgDb.db.schema!;
      const pgTables = (await client.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_name <> '_prisma_migrations' ORDER BY table_name`, [schema])).rows.map((r: { table_name: string }) => r.table_name);
      const pgColumns = (await client.query(`SELECT table_name, column_name, is_nullable FROM information_schema.columns WHERE table_schema = $1 AND table_name <> '_prisma_migrations'`, [schema])).rows
        .map((r: { table_name: string; column_name: string; is_nullable: string }) => `${r.table_name}.${r.column_name}:${r.is_nullable === 'YES' ? 'NULL' : 'NOT NULL'}`)
        .sort();
      const pgIndexes = (await client.query(`SELECT indexname FROM pg_indexes WHERE schemaname = $1 AND indexname NOT LIKE '%_pkey' AND tablename <> '_prisma_migrations'`, [schema])).rows.map((r: { indexname: string }) => r.indexname).sort();
      const types = (await client.query(`SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = $1 AND column_name IN ('amountMinor','closedAt')`, [schema])).rows as Array<{ table_name: string; column_name: string; data_type: string }>;
      await client.end();

      expect(pgTables).toEqual(liteTables);
      expect(pgColumns).toEqual(liteColumns);
      expect(pgIndexes).toEqual(liteIndexes);
      // Money is exact integers; time is stored with its zone.
      expect(types.find((t) => t.table_name === 'Deal' && t.column_name === 'amountMinor')?.data_type).toBe('bigint');
      expect(types.find((t) => t.table_name === 'Deal' && t.column_name === 'closedAt')?.data_type).toBe('timestamp with time zone');
    });
  });
});

describe.each(testEngines())('migrations on %s', (dialect) => {
  test('a fresh database migrates from zero, and a second run applies nothing', async () => {
    const { url, cleanup } = await freshDatabaseUrl(dialect);
    const db = openDatabase(url);
    try {
      const first = await migrateDatabase(db);
      expect(first.applied.length).toBeGreaterThan(0);
      const second = await migrateDatabase(db);
      expect(second).toEqual({ applied: [], alreadyApplied: first.applied.length });
      const rows = await db.query<{ migration_name: string; checksum: string; finished_at: unknown; applied_steps_count: unknown }>(`SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations"`);
      expect(rows.map((r) => r.migration_name).sort()).toEqual(first.applied.sort());
      for (const r of rows) {
        expect(r.checksum).toMatch(/^[0-9a-f]{64}$/);
        expect(r.finished_at).not.toBeNull();
        expect(Number(r.applied_steps_count)).toBe(1);
      }
    } finally {
      await db.close();
      await cleanup();
    }
  });

  test('startup refuses a database with a failed migration', async () => {
    const { url, cleanup } = await freshDatabaseUrl(dialect);
    const db = openDatabase(url);
    try {
      await migrateDatabase(db);
      await db.execute(`INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count) VALUES ('x', 'abc', NULL, '29990101000000_broken', NULL, NULL, ?, 0)`, [dialect === 'sqlite' ? new Date().toISOString() : new Date()]);
      await expect(migrateDatabase(db)).rejects.toThrow(/29990101000000_broken failed earlier/);
    } finally {
      await db.close();
      await cleanup();
    }
  });

  test('every model can be written and read back through the client', async () => {
    const t = await createTestDatabase(dialect);
    const p = t.db.prisma;
    try {
      const at = new Date('2026-03-08T07:30:00.123Z');
      const ws = await p.workspace.create({ data: { slackTeamId: 'TPARITY', name: 'Parity', timeZone: 'Asia/Ho_Chi_Minh', currency: 'VND', fiscalYearStartMonth: 4, alertsChannelId: 'CALERT', installerUserId: 'U1' } });
      const team = await p.salesTeam.create({ data: { workspaceId: ws.id, name: 'North' } });
      const rep = await p.rep.create({ data: { workspaceId: ws.id, slackUserId: 'U1', importKey: 'k:1', name: 'Ana', role: 'admin', teamId: team.id, timeZone: 'UTC' } });
      const big = 9_007_199_254_740_993n; // beyond 2^53: must survive exactly
      const deal = await p.deal.create({
        data: { workspaceId: ws.id, ownerId: rep.id, customer: 'Ünïcode & Co', amountMinor: big, currency: 'VND', amountReportingMinor: big, type: 'renewal', stage: 'won', maxStageIndex: 4, status: 'won', discountMinor: 5n, discountReportingMinor: 5n, lostReason: null, recurringMonthlyMinor: 10_000_000n, recurringReportingMinor: 10_000_000n, subscriptionStart: at, subscriptionEnd: null, notes: 'n', createdAt: at, closedAt: at, source: 'import', externalId: 'E1', requestKey: 'R1', channelId: 'C1' },
      });
      await p.dealStageChange.create({ data: { workspaceId: ws.id, dealId: deal.id, fromStage: 'lead', toStage: 'won', changedAt: at, changedById: rep.id } });
      await p.refund.create({ data: { workspaceId: ws.id, dealId: deal.id, amountMinor: 1n, currency: 'VND', amountReportingMinor: 1n, reason: 'r', recordedAt: at, createdById: rep.id } });
      await p.quota.create({ data: { workspaceId: ws.id, repId: rep.id, teamId: null, periodKind: 'month', periodStart: at, periodEnd: new Date(at.getTime() + 1), amountMinor: 800_000_000n, currency: 'VND', setById: rep.id } });
      await p.leadCount.create({ data: { workspaceId: ws.id, teamId: team.id, periodStart: at, periodEnd: at, count: 500, source: 'csv' } });
      await p.currencyRate.create({ data: { workspaceId: ws.id, fromCurrency: 'USD', rate: 25000.5 } });
      await p.auditEntry.create({ data: { workspaceId: ws.id, actorRepId: rep.id, actorSlackUserId: 'U1', entity: 'deal', entityId: deal.id, action: 'create', before: null, after: '{}', undoneAt: at } });
      const sub = await p.digestSubscription.create({ data: { workspaceId: ws.id, channelId: 'C1', weekday: 1, localTime: '09:00', timeZone: 'Europe/Berlin', kpis: 'winrate', teamId: team.id, createdBySlackUserId: 'U1', active: true } });
      await p.digestSlot.create({ data: { subscriptionId: sub.id, scheduledFor: at, status: 'claimed', claimedBy: 'i1', leaseUntil: at, attempts: 1, late: true, sentAt: at, error: null } });
      await p.delivery.create({ data: { workspaceId: ws.id, channelId: 'C1', kind: 'digest', refId: 1, status: 'sent', attempts: 2, error: null, messageTs: '1.2' } });
      await p.alertSetting.create({ data: { workspaceId: ws.id, rule: 'winrate-drop', threshold: 0.1, enabled: false } });
      await p.alertEvent.create({ data: { workspaceId: ws.id, rule: 'winrate-drop', conditionKey: '*', periodKey: '2026-W10', value: 0.2, threshold: 0.1, message: 'm', firedAt: at, recoveredAt: null } });
      await p.alertSnooze.create({ data: { workspaceId: ws.id, rule: 'winrate-drop', conditionKey: '*', until: at, bySlackUserId: 'U1' } });
      await p.subscriptionChange.create({ data: { workspaceId: ws.id, dealId: deal.id, effectiveAt: at, monthlyMinor: big, currency: 'VND', monthlyReportingMinor: big, sourceDealId: null, requestKey: 'R1', externalId: 'X1', createdById: rep.id } });

      const read = await p.deal.findUniqueOrThrow({ where: { id: deal.id }, include: { stageChanges: true, refunds: true, owner: { include: { team: true } } } });
      expect(read.amountMinor).toBe(big);
      expect(read.closedAt?.toISOString()).toBe(at.toISOString());
      expect(read.customer).toBe('Ünïcode & Co');
      expect(read.owner.team?.name).toBe('North');
      expect(read.stageChanges).toHaveLength(1);
      expect(read.refunds[0]?.amountMinor).toBe(1n);
      const counts = await Promise.all([p.workspace.count(), p.salesTeam.count(), p.rep.count(), p.deal.count(), p.dealStageChange.count(), p.refund.count(), p.quota.count(), p.leadCount.count(), p.currencyRate.count(), p.auditEntry.count(), p.digestSubscription.count(), p.digestSlot.count(), p.delivery.count(), p.alertSetting.count(), p.alertEvent.count(), p.alertSnooze.count(), p.subscriptionChange.count()]);
      expect(counts.every((c) => c === 1)).toBe(true);
      expect((await p.currencyRate.findFirstOrThrow()).rate).toBe(25000.5);
      expect((await p.digestSlot.findFirstOrThrow()).late).toBe(true);
      expect((await p.subscriptionChange.findFirstOrThrow()).monthlyReportingMinor).toBe(big);
      await expect(p.subscriptionChange.create({ data: { workspaceId: ws.id, dealId: deal.id, effectiveAt: at, monthlyMinor: 1n, currency: 'VND', monthlyReportingMinor: 1n, requestKey: 'R1' } })).rejects.toMatchObject({ code: 'P2002' });
      // Unique keys hold on both engines.
      await expect(p.deal.create({ data: { workspaceId: ws.id, ownerId: rep.id, customer: 'dup', amountMinor: 1n, currency: 'VND', amountReportingMinor: 1n, stage: 'lead', requestKey: 'R1' } })).rejects.toMatchObject({ code: 'P2002' });
      // Deleting the workspace cascades to everything in it.
      await p.deal.deleteMany({ where: { workspaceId: ws.id } });
      await p.workspace.delete({ where: { id: ws.id } });
      expect(await p.rep.count()).toBe(0);
      expect(await p.digestSlot.count()).toBe(0);
      expect(await p.subscriptionChange.count()).toBe(0);
    } finally {
      await t.drop();
    }
  });
});

describe('SQLite migration runner', () => {
  test('a migration that rebuilds a table (copy, DROP, rename) keeps the rows that point at it', async () => {
    const t = await createTestDatabase('sqlite');
    try {
      const p = t.db.prisma;
      const ws = await p.workspace.create({ data: { slackTeamId: 'TREBUILD' } });
      const team = await p.salesTeam.create({ data: { workspaceId: ws.id, name: 'North' } });
      await p.rep.create({ data: { workspaceId: ws.id, name: 'Ana', teamId: team.id } });
      // The shape Prisma's schema engine writes for SQLite table changes.
      const rebuild = [
        'PRAGMA defer_foreign_keys=ON;',
        'PRAGMA foreign_keys=OFF;',
        'CREATE TABLE "new_SalesTeam" ("id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, "workspaceId" INTEGER NOT NULL, "name" TEXT NOT NULL, "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP, CONSTRAINT "SalesTeam_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace" ("id") ON DELETE CASCADE ON UPDATE CASCADE);',
        'INSERT INTO "new_SalesTeam" ("id", "workspaceId", "name", "createdAt") SELECT "id", "workspaceId", "name", "createdAt" FROM "SalesTeam";',
        'DROP TABLE "SalesTeam";',
        'ALTER TABLE "new_SalesTeam" RENAME TO "SalesTeam";',
        'CREATE UNIQUE INDEX "SalesTeam_workspaceId_name_key" ON "SalesTeam"("workspaceId", "name");',
        'PRAGMA foreign_keys=ON;',
        'PRAGMA defer_foreign_keys=OFF;',
      ].join('\n');
      const result = await migrateDatabase(t.db, () => {}, { migrations: [...readMigrations('sqlite'), { name: '29990101000000_rebuild', sql: rebuild, checksum: 'x'.repeat(64) }] });
      expect(result.applied).toEqual(['29990101000000_rebuild']);
      expect((await p.rep.findFirstOrThrow({ where: { name: 'Ana' } })).teamId).toBe(team.id);
      expect(await t.db.query('PRAGMA foreign_keys')).toEqual([{ foreign_keys: 1n }]);
    } finally {
      await t.drop();
    }
  });

});
