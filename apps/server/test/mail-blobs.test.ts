import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { openFsBlobStore } from '../src/domain/mail/blobs/fs-blob-store.ts';
import { cachingResolver, tableResolver, verifyMessage } from '../src/smtp/authenticate.ts';
import { IpLimits } from '../src/smtp/limits.ts';
import { LineEndingCheck } from '../src/smtp/line-endings.ts';
import { authInput } from '../src/smtp/server.ts';

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

describe('DNS cache for mailauth', () => {
  it('answers repeated questions from the cache, keeps NXDOMAIN, forgets timeouts and expires', async () => {
    let t = 0;
    const asked: string[] = [];
    const inner = async (name: string, rrtype: string) => {
      asked.push(`${rrtype} ${name}`);
      if (name === 'gone.example') throw Object.assign(new Error('nx'), { code: 'ENOTFOUND' });
      if (name === 'slow.example') throw Object.assign(new Error('timeout'), { code: 'ETIMEOUT' });
      return [['v=spf1 -all']];
    };
    const r = cachingResolver(inner, { ttlMs: 1000, now: () => t });
    assert.deepEqual(await Promise.all([r('a.example', 'TXT'), r('A.EXAMPLE', 'txt')]), [
      [['v=spf1 -all']],
      [['v=spf1 -all']],
    ]);
    await assert.rejects(r('gone.example', 'TXT'), { code: 'ENOTFOUND' });
    await assert.rejects(r('gone.example', 'TXT'), { code: 'ENOTFOUND' });
    await assert.rejects(r('slow.example', 'TXT'), { code: 'ETIMEOUT' });
    await assert.rejects(r('slow.example', 'TXT'), { code: 'ETIMEOUT' });
    assert.deepEqual(asked, ['TXT a.example', 'TXT gone.example', 'TXT slow.example', 'TXT slow.example']);
    t = 1001;
    await r('a.example', 'TXT');
    assert.equal(asked.length, 5, 'an expired answer is asked again');
  });
});

describe('mailauth input for small messages', () => {
  const dns = tableResolver({
    'TXT example.org': [['v=spf1 ip4:192.0.2.1 -all']],
    'TXT _dmarc.example.org': [['v=DMARC1; p=reject']],
  });
  const message = Buffer.from(
    'From: Kim <kim@example.org>\r\nTo: <a@korea.kr>\r\nSubject: 회의\r\nMessage-ID: <u1@example.org>\r\n\r\n본문입니다.\r\n',
  );
  const verify = (m: Buffer, ip: string) =>
    verifyMessage({
      message: m,
      ip,
      helo: 'mx.example.org',
      mailFrom: 'kim@example.org',
      mta: 'mx.korea.kr',
      resolver: dns,
    });

  it('gives an unsigned message the same verdicts from its header alone (pass and fail)', async () => {
    const head = authInput(message);
    assert.ok(head.length < message.length);
    for (const ip of ['192.0.2.1', '198.51.100.7'])
      assert.deepEqual(await verify(head, ip), await verify(message, ip));
    assert.equal((await verify(head, '198.51.100.7')).dmarc.result, 'fail');
  });

  it('keeps the body of a message with a DKIM signature or an ARC set', () => {
    const signed = Buffer.concat([Buffer.from('DKIM-Signature: v=1; d=example.org; s=s; b=x\r\n'), message]);
    const arc = Buffer.concat([
      Buffer.from('ARC-Seal: i=1; a=rsa-sha256; cv=none; d=x; s=s; b=x\r\n'),
      message,
    ]);
    assert.equal(authInput(signed), signed);
    assert.equal(authInput(arc), arc);
  });
});
