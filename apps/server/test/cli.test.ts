import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';

const bin = new URL('../bin/gongjik.mjs', import.meta.url).pathname;
const gongjik = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });

describe('gongjik CLI', () => {
  it('lists its commands with --help and exits 0', () => {
    const r = gongjik('--help');
    assert.equal(r.status, 0);
    assert.match(r.stdout, /Usage: gongjik <command>/);
    assert.match(r.stdout, /\berrors\b/);
  });

  it('refuses an unknown command with ERR_CLI_UNKNOWN_COMMAND and exit 2, as JSON under --json', () => {
    const r = gongjik('frobnicate', '--json');
    assert.equal(r.status, 2);
    const out = JSON.parse(r.stdout);
    assert.equal(out.ok, false);
    assert.equal(out.error.code, 'ERR_CLI_UNKNOWN_COMMAND');
  });

  it('refuses an unknown option with ERR_CLI_USAGE', () => {
    const r = gongjik('errors', '--bogus', '--json');
    assert.equal(r.status, 2);
    assert.equal(JSON.parse(r.stdout).error.code, 'ERR_CLI_USAGE');
  });

  it('prints machine output under --json', () => {
    const r = gongjik('errors', 'ERR_PKI_NPKI_NOT_ACCEPTED', '--json');
    assert.equal(r.status, 0);
    const out = JSON.parse(r.stdout);
    assert.equal(out.ok, true);
    assert.equal(out.errors.length, 1);
    assert.equal(out.errors[0].status, 403);
  });
});
