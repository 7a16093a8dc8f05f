import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { describe, it } from 'node:test';
import { buildDsn, dsnSafe, headerBlock, statusFromReply } from '../src/domain/mail/dsn.ts';
import {
  emlName,
  MboxrdEscape,
  mboxFromLine,
  splitMbox,
  zipSegment,
} from '../src/domain/mail/export-format.ts';

describe('DSN (RFC 3464)', () => {
  it('builds a multipart/report with a delivery-status part per failed recipient and the original headers', async () => {
    const now = new Date('2026-03-05T00:00:00Z');
    const { raw } = await buildDsn({
      reportingMta: 'mail.korea.kr',
      domain: 'korea.kr',
      to: 'ryusiwon@korea.kr',
      arrivalDate: new Date('2026-03-02T01:00:00Z'),
      now,
      originalHeaders: 'From: ryusiwon@korea.kr\r\nSubject: test\r\nMessage-ID: <m1@korea.kr>\r\n\r\n',
      originalSubject: '회의',
      originalMessageId: '<m1@korea.kr>',
      recipients: [
        {
          address: 'nobody@example.com',
          action: 'failed',
          status: '5.1.1',
          remoteMta: 'mx.example.com',
          diagnostic: '550 5.1.1 <nobody@example.com>: no such user\r\nBcc: injected@evil.kr',
          lastAttempt: now,
        },
      ],
    });
    const text = raw.toString('latin1');
    assert.match(text, /^Content-Type: multipart\/report; report-type=delivery-status;/m);
    assert.match(text, /^Auto-Submitted: auto-replied$/m);
    assert.match(text, /^Content-Type: message\/delivery-status$/m);
    assert.match(text, /^Final-Recipient: rfc822; nobody@example.com$/m);
    assert.match(text, /^Action: failed$/m);
    assert.match(text, /^Status: 5\.1\.1$/m);
    assert.match(text, /^Content-Type: text\/rfc822-headers$/m);
    assert.match(text, /^In-Reply-To: <m1@korea\.kr>$/m);
    // The remote reply cannot start a header line of its own.
    assert.doesNotMatch(text, /^Bcc:/m);
    assert.match(
      text,
      /^Diagnostic-Code: smtp; 550 5\.1\.1 <nobody@example\.com>: no such user Bcc: injected@evil\.kr$/m,
    );
  });

  it('reads the enhanced status from a reply, or derives one', () => {
    assert.equal(statusFromReply('550 5.1.1 no such user', true), '5.1.1');
    assert.equal(statusFromReply('452 4.2.2 mailbox full', false), '4.2.2');
    assert.equal(statusFromReply('550 no such user', true), '5.0.0');
    assert.equal(statusFromReply('connect ECONNREFUSED', true), '5.0.0');
    assert.equal(dsnSafe('a\u0000\r\nb\u00ffc'), 'a b c');
  });

  it('takes the header block of a raw message', () => {
    assert.equal(headerBlock(Buffer.from('A: 1\r\nB: 2\r\n\r\nbody')).toString(), 'A: 1\r\nB: 2\r\n');
    assert.equal(headerBlock(Buffer.from('A: 1\n\nbody')).toString(), 'A: 1\n');
  });
});

describe('mboxrd', () => {
  const mboxrd = async (chunks: string[]) =>
    (await buffer(Readable.from(chunks.map((c) => Buffer.from(c))).pipe(new MboxrdEscape()))).toString();

  it('quotes From lines (>From too), converts CRLF to LF and ends with a blank line, across chunk borders', async () => {
    const out = await mboxrd(['Subject: x\r\n\r\nFr', 'om here\r\n>From there\r\nnot From\r', '\nlast']);
    assert.equal(out, 'Subject: x\n\n>From here\n>>From there\nnot From\nlast\n\n');
  });

  it('round-trips messages through split and unquote', async () => {
    const messages = ['Subject: a\r\n\r\nFrom me\r\n', 'Subject: b\r\n\r\n>>From x\r\nok\r\n'];
    let file = '';
    for (const m of messages)
      file += mboxFromLine('a@korea.kr', new Date('2026-03-02T01:00:00Z')) + (await mboxrd([m]));
    const back = splitMbox(file);
    assert.equal(back.length, 2);
    assert.equal(back[0]!.fromLine, 'From a@korea.kr Mon Mar  2 01:00:00 2026');
    assert.deepEqual(
      back.map((b) => b.body),
      messages.map((m) => m.replace(/\r\n/g, '\n')),
    );
  });

  it('names zip entries safely', () => {
    assert.equal(zipSegment('../..\\a:b*c'), '_.._a_b_c');
    assert.equal(zipSegment(''), '_');
    assert.equal(
      emlName(new Date('2026-03-02T01:02:03Z'), 'RE: 회의/안내', 3),
      '2026-03-02 0102 RE_ 회의_안내 (3).eml',
    );
  });
});
