// Runs the benchmark scripts in bench/ (all, or those named) one after another. Each prints JSON.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

const dir = new URL('../bench/', import.meta.url);
const wanted = process.argv.slice(2);
let scripts: string[] = [];
try {
  scripts = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.startsWith('_'));
} catch {}
if (wanted.length) scripts = scripts.filter((f) => wanted.includes(f.replace(/\.ts$/, '')));
if (!scripts.length) {
  console.error('bench: no benchmark scripts found');
  process.exit(1);
}
let failed = 0;
for (const script of scripts) {
  console.error(`bench: ${script}`);
  const r = spawnSync(process.execPath, [new URL(script, dir).pathname], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
