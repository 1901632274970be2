/**
 * `npm run demo`: the app's main job without Slack. Imports the public Maven CRM pipeline into a
 * demo workspace in the embedded database, then prints what `/kpi winrate`, `/kpi dealsize`,
 * `/kpi funnel` and `/kpi revenue` answer for 2017 (the data's last year), rendered as a person
 * reads them in Slack: the same builders, chart URLs included.
 *
 * Options: `--period 2017-Q4` (any /kpi period), `--dataset DIR`. DATABASE_URL defaults to
 * `file:./data/demo.db`; QUICKCHART_URL as for the app.
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEMO_TEAM_ID, importMavenFolder } from '../domain/imports/index.js';
import { AppError } from '../errors.js';
import { reportKpi } from '../domain/metrics/report-kpi.js';
import { countDeals, findWorkspaceOfTeam } from '../domain/workspaces/find-workspace.js';
import { buildKpiAnswerMessage } from '../slack/blocks/kpi/answer.js';
import { toLocale } from '../i18n/locales.js';
import { formatCountL } from '../i18n/format.js';
import { t } from '../i18n/t.js';
import { renderMessageAsText } from '../slack/blocks/render-text.js';
import { openDatabase } from '../storage/db.js';
import { migrateDatabase } from '../storage/migrate.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const DEMO_KPIS = ['winrate', 'dealsize', 'funnel', 'revenue'] as const;

function option(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

async function main(argv: string[]): Promise<number> {
  const period = option(argv, '--period') ?? '2017';
  const langInput = option(argv, '--lang') ?? 'en';
  const locale = toLocale(langInput);
  if (!locale) {
    process.stderr.write(`Unknown --lang ${langInput}: use en, vi or zh-CN.\n`);
    return 2;
  }
  const dataset = resolve(option(argv, '--dataset') ?? resolve(ROOT, 'datasets/maven-crm'));
  if (!existsSync(resolve(dataset, 'sales_pipeline.csv'))) {
    process.stderr.write(`No sales_pipeline.csv in ${dataset}. Usage: npm run demo -- [--period 2017] [--dataset DIR] [--lang en|vi|zh-CN]\n`);
    return 2;
  }
  const url = process.env.DATABASE_URL ?? 'file:./data/demo.db';
  const quickchartUrl = process.env.QUICKCHART_URL ?? 'https://quickchart.io';
  const db = openDatabase(url);
  try {
    await migrateDatabase(db);
    const started = Date.now();
    const report = await importMavenFolder({ db, dir: dataset, workspaceTeamId: DEMO_TEAM_ID });
    if (report.refused) {
      process.stderr.write(`${t(locale, 'cli.demo.refused')}\n${report.fileErrors.join('\n')}\n`);
      return 1;
    }
    const workspace = await findWorkspaceOfTeam({ db, slackTeamId: DEMO_TEAM_ID });
    if (!workspace) throw new Error('The import created no demo workspace.');
    const deals = await countDeals({ db, workspaceId: workspace.id });
    const count = (n: number) => formatCountL(locale, n);
    const out: string[] = [
      t(locale, 'cli.demo.header', { where: db.dialect === 'sqlite' ? url.replace(/^file:/, '') : 'PostgreSQL' }),
      t(locale, 'cli.demo.imported', {
        imported: count(report.imported),
        updated: count(report.updated),
        unchanged: count(report.unchanged),
        rows: count(report.rowsRead),
        ms: count(Date.now() - started),
        deals: count(deals),
      }),
      // The importer's data-quality notes are written in English (they quote the files' own words).
      ...report.warnings.slice(0, 3).map((w) => t(locale, 'cli.demo.note', { text: w })),
      '',
    ];
    for (const kpi of DEMO_KPIS) {
      // The same use case as `/kpi`, printed with the same pure renderer.
      const answer = buildKpiAnswerMessage(await reportKpi({ db, workspace, kpi, periodInput: period, now: new Date() }), { quickchartUrl, locale });
      out.push(`──── /kpi ${kpi} ${period} ${'─'.repeat(Math.max(4, 60 - kpi.length - period.length))}`);
      out.push(renderMessageAsText(answer.message), '');
    }
    process.stdout.write(out.join('\n') + '\n');
    return 0;
  } catch (e) {
    process.stderr.write(`${e instanceof AppError ? e.message : e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  } finally {
    await db.close();
  }
}

main(process.argv.slice(2)).then((code) => process.exit(code));
