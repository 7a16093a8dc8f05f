// Blob garbage collection: every kind of reference keeps a blob; an unreferenced blob older than
// the grace period goes; blobs written (or deduplicated) while the collector runs stay.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { forEachDatabase } from '@gongjik/db/testing';
import { collectBlobGarbage, referencedDigests } from '../src/domain/mail/blob-gc.ts';
import { FsBlobStore } from '../src/domain/mail/blobs/fs-blob-store.ts';
import { storeMessage } from '../src/domain/mail/store/index.ts';
import { mailTestServer } from './mail-send-helpers.ts';
import { activeAccount, parsedMessage } from './mail-store-helpers.ts';

const HOUR = 3_600_000;
const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function store(): Promise<FsBlobStore> {
  const dir = mkdtempSync(join(tmpdir(), 'gj-gc-'));
  dirs.push(dir);
  return new FsBlobStore(dir, { durable: false }).init();
}

/** Makes a blob look written `hours` ago. */
function age(blobs: FsBlobStore, sha256: string, hours: number): void {
  const t = new Date(Date.now() - hours * HOUR);
  utimesSync(blobs.pathOf(sha256), t, t);
}

forEachDatabase('blob garbage collection', (suite) => {
  it('keeps every referenced blob (raw, attachment, upload, outbound, export) and removes an old orphan', async () => {
    const db = suite.db;
    const blobs = await store();
    const me = await activeAccount(db);
    const now = new Date();
    const put = async (s: string) => (await blobs.put(Buffer.from(s))).sha256;
    const raw = await put('raw message');
    const attachment = await put('attachment bytes');
    const upload = await put('uploaded file');
    const outbound = await put('outbound copy');
    const exported = await put('export result');
    const orphan = await put('nobody names me');
    const youngOrphan = await put('nobody names me either, but I am new');

    await storeMessage(db, {
      blob: { sha256: raw, size: 11 },
      parsed: parsedMessage({
        attachments: [
          {
            partId: '2',
            filename: '회의록.hwp',
            contentType: 'application/octet-stream',
            size: 16,
            sha256: attachment,
            contentId: null,
            inline: false,
          },
        ],
      }),
      recipients: [me.accountId],
      now,
    });
    await db
      .insertInto('mail_uploads')
      .values({
        account_id: me.accountId,
        sha256: upload,
        size: 13,
        filename: 'a.txt',
        content_type: 'text/plain',
        created_at: now,
        expires_at: new Date(now.getTime() + HOUR),
      })
      .execute();
    await db
      .insertInto('mail_outbound')
      .values({
        account_id: me.accountId,
        header_message_id: '<o@korea.kr>',
        raw_sha256: outbound,
        mail_from: me.address,
        domain: 'example.org',
        recipients: ['x@example.org'],
        state: 'queued',
        next_attempt_at: now,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await db
      .insertInto('mail_exports')
      .values({
        account_id: me.accountId,
        format: 'mbox',
        state: 'done',
        result_sha256: exported,
        result_size: 13,
        requested_by: 'test',
        created_at: now,
        updated_at: now,
        expires_at: new Date(now.getTime() + HOUR),
      })
      .execute();
    for (const d of [raw, attachment, upload, outbound, exported, orphan]) age(blobs, d, 48);

    assert.deepEqual(
      [
        ...(await referencedDigests(db, [raw, attachment, upload, outbound, exported, orphan, youngOrphan])),
      ].sort(),
      [raw, attachment, upload, outbound, exported].sort(),
    );
    const dry = await collectBlobGarbage(db, blobs, { now, graceMs: 24 * HOUR, dryRun: true });
    assert.equal(dry.removed, 1);
    assert.ok(await blobs.stat(orphan), 'a dry run removes nothing');

    const r = await collectBlobGarbage(db, blobs, { now, graceMs: 24 * HOUR });
    assert.deepEqual(
      { scanned: r.scanned, referenced: r.referenced, recent: r.recent, removed: r.removed },
      { scanned: 7, referenced: 5, recent: 1, removed: 1 },
    );
    assert.equal(await blobs.stat(orphan), null, 'the old orphan is removed');
    for (const d of [raw, attachment, upload, outbound, exported, youngOrphan])
      assert.ok(await blobs.stat(d), `blob ${d.slice(0, 8)} survives`);
  });

  it('keeps a blob written or deduplicated while the collector runs', async () => {
    const db = suite.db;
    const blobs = await store();
    const now = new Date();
    const a = await blobs.put(Buffer.from('old orphan A'));
    const b = await blobs.put(Buffer.from('old orphan B'));
    age(blobs, a.sha256, 48);
    age(blobs, b.sha256, 48);
    let fresh = '';
    const r = await collectBlobGarbage(db, blobs, {
      now,
      graceMs: 24 * HOUR,
      // After the database said "unreferenced", before the sweep: a delivery writes content
      // identical to A (deduplicated: the file is touched) and a brand-new blob.
      beforeSweep: async (dead) => {
        assert.deepEqual([...dead].sort(), [a.sha256, b.sha256].sort());
        assert.deepEqual(await blobs.put(Buffer.from('old orphan A')), a);
        fresh = (await blobs.put(Buffer.from('written mid-GC'))).sha256;
      },
    });
    assert.equal(r.removed, 1);
    assert.ok(await blobs.stat(a.sha256), 'the deduplicated blob survives');
    assert.ok(await blobs.stat(fresh), 'the blob written mid-GC survives');
    assert.equal(await blobs.stat(b.sha256), null);
  });

  it('a deduplicated write after the blob was moved aside stores it again', async () => {
    const blobs = await store();
    const a = await blobs.put(Buffer.from('content'));
    age(blobs, a.sha256, 48);
    // The sweep removes it; a writer of the same content then finds no file and writes its own.
    assert.equal(await blobs.deleteIfOlder(a.sha256, new Date(Date.now() - 24 * HOUR)), true);
    assert.equal(await blobs.stat(a.sha256), null);
    assert.deepEqual(await blobs.put(Buffer.from('content')), a);
    assert.ok(await blobs.stat(a.sha256));
    // And a recent blob is never removed.
    assert.equal(await blobs.deleteIfOlder(a.sha256, new Date(Date.now() - 24 * HOUR)), false);
    assert.ok(await blobs.stat(a.sha256));
  });

  it('runs from the admin API (what `gongjik admin mail gc` calls), never with a grace under an hour', async () => {
    const t = await mailTestServer(suite.db);
    const auth = { authorization: `Bearer ${t.adminToken}` };
    const short = await t.app.inject({
      method: 'POST',
      url: '/api/v1/admin/mail/gc',
      headers: auth,
      payload: { graceHours: 0.5 },
    });
    assert.equal(short.statusCode, 400);
    assert.equal(short.json().code, 'ERR_INPUT_INVALID');
    const anon = await t.app.inject({ method: 'POST', url: '/api/v1/admin/mail/gc', payload: {} });
    assert.equal(anon.statusCode, 401);
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/admin/mail/gc',
      headers: auth,
      payload: { dryRun: true },
    });
    assert.equal(r.statusCode, 200);
    assert.equal(r.json().dryRun, true);
    const logged = await suite.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'mail.blob-gc')
      .execute();
    assert.equal(logged.length, 1);
  });
});

describe('gongjik admin mail gc', () => {
  it('refuses a grace period under an hour with ERR_CLI_USAGE before asking the server', () => {
    const bin = new URL('../bin/gongjik.mjs', import.meta.url).pathname;
    const r = spawnSync(process.execPath, [bin, 'admin', 'mail', 'gc', '--grace-hours', '0.5', '--json'], {
      encoding: 'utf8',
    });
    assert.equal(r.status, 2);
    assert.equal(JSON.parse(r.stdout).error.code, 'ERR_CLI_USAGE');
  });
});
