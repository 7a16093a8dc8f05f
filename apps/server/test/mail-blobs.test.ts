import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { openFsBlobStore } from '../src/domain/mail/blobs/fs-blob-store.ts';
import { IpLimits } from '../src/smtp/limits.ts';
import { LineEndingCheck } from '../src/smtp/line-endings.ts';

const dir = mkdtempSync(join(tmpdir(), 'gongjik-blobs-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('filesystem blob store', () => {
  it('names a blob by the SHA-256 of its bytes and stores identical content once', async () => {
    const store = await openFsBlobStore(join(dir, 'a'));
    const bytes = Buffer.from('같은 첨부파일 '.repeat(1000));
    const chunks = async function* () {
      for (let i = 0; i < bytes.length; i += 777) yield bytes.subarray(i, i + 777);
    };
    const one = await store.put(bytes);
    const two = await store.put(chunks());
    assert.deepEqual(one, two);
    assert.equal(one.sha256, createHash('sha256').update(bytes).digest('hex'));
    assert.deepEqual(readdirSync(join(dir, 'a', one.sha256.slice(0, 2))), [one.sha256]);
    assert.deepEqual(readdirSync(join(dir, 'a', 'tmp')), []);
    const read: Buffer[] = [];
    for await (const c of await store.open(one.sha256)) read.push(c as Buffer);
    assert.ok(Buffer.concat(read).equals(bytes));
    const part: Buffer[] = [];
    for await (const c of await store.open(one.sha256, { start: 3, end: 5 })) part.push(c as Buffer);
    assert.ok(Buffer.concat(part).equals(bytes.subarray(3, 6)));
  });

  it('refuses a blob over its size bound with ERR_MAIL_MESSAGE_TOO_LARGE and leaves no file', async () => {
    const store = await openFsBlobStore(join(dir, 'b'));
    await assert.rejects(store.put(Buffer.alloc(2000), { maxBytes: 1000 }), {
      code: 'ERR_MAIL_MESSAGE_TOO_LARGE',
    });
    assert.deepEqual(readdirSync(join(dir, 'b', 'tmp')), []);
    const listed: string[] = [];
    for await (const b of store.list()) listed.push(b);
    assert.deepEqual(listed, []);
  });

  it('reports a missing blob with ERR_MAIL_BLOB_MISSING', async () => {
    const store = await openFsBlobStore(join(dir, 'c'));
    await assert.rejects(store.open('0'.repeat(64)), { code: 'ERR_MAIL_BLOB_MISSING' });
    await assert.rejects(store.open('../../etc/passwd'), { code: 'ERR_MAIL_BLOB_MISSING' });
    assert.equal(await store.stat('0'.repeat(64)), null);
  });
});

describe('SMTP line endings and limits', () => {
  it('finds a bare LF or CR even across chunk boundaries', () => {
    const feed = (...chunks: string[]) => {
      const c = new LineEndingCheck();
      for (const s of chunks) c.update(Buffer.from(s, 'latin1'));
      return c.end() ? null : c.problem;
    };
    assert.equal(feed('a\r', '\nb\r\n'), null);
    assert.equal(feed('a\n'), 'bare-lf');
    assert.equal(feed('a\r', 'b'), 'bare-cr');
    assert.equal(feed('a\r'), 'bare-cr');
    assert.equal(feed('a\r\r\n'), 'bare-cr');
  });

  it('limits connections and refills message tokens over time', () => {
    let t = 0;
    const l = new IpLimits({ maxConnectionsPerIp: 1, messagesPerMinutePerIp: 2, now: () => t });
    assert.equal(l.openConnection('1.2.3.4'), true);
    assert.equal(l.openConnection('1.2.3.4'), false);
    l.closeConnection('1.2.3.4');
    assert.equal(l.openConnection('1.2.3.4'), true);
    assert.equal(l.takeMessage('1.2.3.4'), true);
    assert.equal(l.takeMessage('1.2.3.4'), true);
    assert.equal(l.takeMessage('1.2.3.4'), false);
    t += 30_000;
    assert.equal(l.takeMessage('1.2.3.4'), true);
    assert.equal(l.takeMessage('5.6.7.8'), true);
  });
});
