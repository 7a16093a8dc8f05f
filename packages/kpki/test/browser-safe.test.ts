import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';

const src = new URL('../src/', import.meta.url).pathname;

test('cert/, layout/ and sign/ are browser-safe: no node:* imports, no Buffer, no process', async () => {
  const files = ['index.ts'];
  for (const dir of ['cert', 'layout', 'sign']) {
    for (const name of await readdir(join(src, dir))) if (name.endsWith('.ts')) files.push(join(dir, name));
  }
  assert.ok(files.length > 10);
  for (const file of files) {
    const text = (await readFile(join(src, file), 'utf8'))
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/\/\/.*$/gm, '');
    assert.doesNotMatch(text, /from ['"]node:|require\(|import\(['"]node:/, file);
    assert.doesNotMatch(text, /\bBuffer\b|\bprocess\./, file);
  }
});
