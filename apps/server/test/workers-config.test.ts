// How many server processes `gongjik start` runs (GONGJIK_WORKERS / --workers).
import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { describe, it } from 'node:test';
import { GongjikError } from '@gongjik/errors';
import { loadConfig } from '../src/config.ts';

const PG = 'postgres://postgres@127.0.0.1:5432/x';

describe('worker processes', () => {
  it('runs one process with the embedded PGlite and one per CPU (at most 8) with PostgreSQL by default', () => {
    assert.equal(loadConfig({}).cluster.workers, 1);
    assert.equal(loadConfig({ DATABASE_URL: PG }).cluster.workers, Math.min(availableParallelism(), 8));
    assert.equal(loadConfig({ DATABASE_URL: PG }).cluster.workerIndex, null);
  });

  it('takes --workers over GONGJIK_WORKERS', () => {
    assert.equal(loadConfig({ DATABASE_URL: PG, GONGJIK_WORKERS: '3' }).cluster.workers, 3);
    assert.equal(loadConfig({ DATABASE_URL: PG, GONGJIK_WORKERS: '3' }, { workers: 5 }).cluster.workers, 5);
    assert.equal(loadConfig({ GONGJIK_WORKERS: '3' }, { workers: 1 }).cluster.workers, 1);
  });

  it('refuses several workers on PGlite (a single-process database) with ERR_SERVER_CONFIG_INVALID', () => {
    for (const attempt of [
      () => loadConfig({ GONGJIK_WORKERS: '2' }),
      () => loadConfig({}, { workers: 4 }),
    ]) {
      assert.throws(
        attempt,
        (err) => err instanceof GongjikError && err.code === 'ERR_SERVER_CONFIG_INVALID',
      );
    }
  });

  it('refuses a worker count that is not a number from 1 to 64', () => {
    for (const v of ['0', '65', 'many', '1.5']) {
      assert.throws(
        () => loadConfig({ DATABASE_URL: PG, GONGJIK_WORKERS: v }),
        (err) => err instanceof GongjikError && err.code === 'ERR_SERVER_CONFIG_INVALID',
      );
    }
  });
});
