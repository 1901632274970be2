/** `npm run demo` (the command's own lines; the answers come from the /kpi catalog). */
export const enCli = {
  'cli.demo.header': 'Sales KPIs demo: Maven CRM public pipeline in {where}',
  'cli.demo.imported': 'Imported {imported} new, {updated} updated, {unchanged} unchanged of {rows} rows in {ms} ms; the workspace holds {deals} deals.',
  'cli.demo.note': 'Note: {text}',
  'cli.demo.refused': 'The data set was refused:',
} as const;
