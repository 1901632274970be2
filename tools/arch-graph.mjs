#!/usr/bin/env node
// Regenerates the dependency pictures in ARCHITECTURE.md from the code (`npm run arch:graph`):
// the text between the `arch-graph:<name>` markers is replaced by a mermaid flowchart of
// dependency-cruiser's module graph, collapsed to one box per layer or leaf module.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const bin = join(root, 'node_modules', '.bin', 'depcruise');
const graphs = {
  // One box per layer (folder directly under src/) or leaf module.
  layers: '^src/[^/]+/',
};
const file = join(root, 'ARCHITECTURE.md');
let text = readFileSync(file, 'utf8');
for (const [name, collapse] of Object.entries(graphs)) {
  const json = execFileSync(
    bin,
    ['src', '--config', '.dependency-cruiser.cjs', '--include-only', '^src/', '--exclude', '^src/generated/', '--collapse', collapse, '--output-type', 'json'],
    { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  const modules = JSON.parse(json).modules;
  const label = (source) => source.replace(/^src\//, '').replace(/\/$/, '/');
  const id = (source) => label(source).replace(/[^A-Za-z0-9]/g, '_');
  const lines = ['flowchart TD'];
  for (const m of [...modules].sort((x, y) => x.source.localeCompare(y.source))) lines.push(`  ${id(m.source)}["${label(m.source)}"]`);
  const edges = new Set();
  for (const m of modules) for (const d of m.dependencies) if (d.resolved !== m.source) edges.add(`  ${id(m.source)} --> ${id(d.resolved)}`);
  lines.push(...[...edges].sort());
  const mermaid = lines.join('\n');
  const re = new RegExp(`(<!-- arch-graph:${name} -->\\n)[\\s\\S]*?(<!-- /arch-graph:${name} -->)`);
  if (!re.test(text)) throw new Error(`ARCHITECTURE.md has no arch-graph:${name} markers`);
  text = text.replace(re, `$1\`\`\`mermaid\n${mermaid}\n\`\`\`\n$2`);
}
writeFileSync(file, text);
console.log('ARCHITECTURE.md: dependency graphs regenerated');
