#!/usr/bin/env node
// Imports are checked by dependency-cruiser, but a call through `deps.db.prisma` (or a transaction
// client `tx`) needs no import: this check fails when a file outside src/storage/ (the pathNot of the
// `only-storage-touches-prisma` rule in .dependency-cruiser.cjs) calls Prisma or runs raw SQL.
// Usage: node tools/check-db-callers.mjs [srcDir]   (exit code 1 on a violation)
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const srcDir = resolve(process.argv[2] ?? join(root, 'src'));
const config = createRequire(import.meta.url)(join(root, '.dependency-cruiser.cjs'));
const rule = config.forbidden.find((r) => r.name === 'only-storage-touches-prisma');
const allowed = [rule.from.pathNot].flat().map((p) => new RegExp(p));

// `db.prisma…`, a call on a transaction client (`tx.deal.create(…)`), a Prisma raw statement or
// transaction, or raw SQL through the `Db` handle or a
// transaction's runner (`db.query(…)`, `opts.db.execute(…)`, `run.query(…)`).
const PRISMA_CALL = /\.prisma\b|\btx\.[a-zA-Z]+\.(find|create|update|delete|upsert|count|groupBy|aggregate)[A-Za-z]*\(|\$(queryRaw|executeRaw|transaction)|\b(db|run)\.(query|execute)\b/;

/** @param {string} dir @returns {string[]} */
function tsFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? (e.name === 'generated' ? [] : tsFiles(join(dir, e.name))) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

const violations = [];
const stale = new Set(allowed.map(String));
for (const file of tsFiles(srcDir)) {
  // Paths as dependency-cruiser names them: relative to the repo root, starting with src/.
  const name = relative(srcDir, file).split('\\').join('/');
  const asSrc = `src/${name}`;
  const uses = PRISMA_CALL.test(readFileSync(file, 'utf8'));
  const match = allowed.find((re) => re.test(asSrc));
  if (uses && match) stale.delete(String(match));
  if (uses && !match) violations.push(asSrc);
}
for (const v of violations) console.error(`  error only-storage-touches-prisma: ${v} calls Prisma (db.prisma / tx.<model>) outside src/storage/`);
// An entry that no longer calls Prisma must leave the list, so the list only shrinks.
const staleEntries = [...stale].filter((s) => !s.includes('storage'));
if (srcDir === join(root, 'src')) for (const s of staleEntries) console.error(`  error allow-list entry ${s} no longer calls Prisma: remove it`);
const failed = violations.length > 0 || (srcDir === join(root, 'src') && staleEntries.length > 0);
const listed = allowed.length - 1;
console.log(failed ? `x Prisma called outside storage/ (${violations.length} files)` : `✔ no Prisma calls or raw SQL outside storage/${listed > 0 ? ` except the ${listed} allow-listed files` : ''}`);
process.exit(failed ? 1 : 0);
