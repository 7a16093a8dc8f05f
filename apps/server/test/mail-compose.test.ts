import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { isGongjikError } from '@gongjik/errors';
import { parseMailbox } from '../src/domain/mail/address.ts';
import { mimeBuffer, prepareMail, safeContentType, validateFilename } from '../src/domain/mail/compose.ts';

const refuses = (fn: () => unknown, code: string) =>
  assert.throws(fn, (err: unknown) => isGongjikError(err) && err.code === code);

const from = parseMailbox({ name: '류시원', address: 'ryusiwon@korea.kr' });
const now = new Date('2026-03-02T01:00:00Z');

/** Header block of a raw message, unfolded. */
function headers(raw: Buffer): string {
  const text = raw.toString('latin1');
  return text.slice(0, text.indexOf('\r\n\r\n')).replace(/\r\n[ \t]/g, ' ');
}

describe('composing a message', () => {
  it('refuses CR/LF in the subject, a display name, an address or a reply Message-ID with ERR_MAIL_HEADER_INJECTION', () => {
    refuses(
      () => prepareMail({ to: ['a@korea.kr'], subject: '회의\r\nBcc: x@evil.kr' }, { from, now }),
      'ERR_MAIL_HEADER_INJECTION',
    );
    refuses(
      () => prepareMail({ to: [{ name: '홍\r\nX-Evil: 1', address: 'a@korea.kr' }] }, { from, now }),
      'ERR_MAIL_HEADER_INJECTION',
    );
    refuses(
      () => prepareMail({ to: ['a@korea.kr\r\nRCPT TO:<x@evil.kr>'] }, { from, now }),
      'ERR_MAIL_HEADER_INJECTION',
    );
    refuses(
      () =>
        prepareMail(
          { to: ['a@korea.kr'] },
          { from, now, parent: { messageId: '<a@b>\r\nBcc: x@evil.kr', references: [] } },
        ),
      'ERR_MAIL_HEADER_INJECTION',
    );
    refuses(() => validateFilename('a\r\nContent-Type: text/html'), 'ERR_MAIL_HEADER_INJECTION');
  });

  it('writes the account’s own From, the recipients, a Korean subject and threading headers', async () => {
    const mail = prepareMail(
      {
        to: ['홍길동 <hong@korea.kr>'],
        cc: [{ name: '김민준', address: 'kim@example.com' }],
        bcc: ['secret@korea.kr'],
        subject: 'RE: 3월 정기회의',
        text: '참석합니다.\nFrom the desk of 류시원',
      },
      { from, now, parent: { messageId: '<p1@korea.kr>', references: ['<root@korea.kr>'] } },
    );
    const raw = await mimeBuffer(mail, { keepBcc: false });
    const h = headers(raw);
    assert.match(h, /^From: =\?UTF-8\?[BQ]\?.*\?= <ryusiwon@korea\.kr>$/m);
    assert.match(h, /^To: .*<hong@korea\.kr>$/m);
    assert.match(h, /^Cc: .*<kim@example\.com>$/m);
    assert.doesNotMatch(h, /^Bcc:/im, 'recipients never see Bcc');
    assert.match(h, /^In-Reply-To: <p1@korea\.kr>$/m);
    assert.match(h, /^References: <root@korea\.kr> <p1@korea\.kr>$/m);
    assert.match(h, /^Message-ID: <[0-9a-f]{32}@korea\.kr>$/m);
    assert.match(h, /^Date: Mon, 02 Mar 2026 01:00:00 \+0000$/m);
    assert.deepEqual(mail.recipients.all, ['hong@korea.kr', 'kim@example.com', 'secret@korea.kr']);
    const own = headers(await mimeBuffer(mail, { keepBcc: true }));
    assert.match(own, /^Bcc: secret@korea\.kr$/m, 'the sender’s copy keeps Bcc');
  });

  it('sanitizes the HTML before it is stored or sent, keeping cid: images of its own attachments', async () => {
    const png = Buffer.from('89504e470d0a1a0a', 'hex');
    const mail = prepareMail(
      {
        to: ['a@korea.kr'],
        html: '<p onclick="steal()">안녕<script>alert(1)</script><img src="cid:logo"><img src="https://t.example/p.gif"></p>',
      },
      {
        from,
        now,
        attachments: [
          {
            filename: 'logo.png',
            contentType: 'image/png',
            size: png.length,
            cid: 'logo',
            open: () => Readable.from([png]),
          },
        ],
      },
    );
    assert.doesNotMatch(mail.html!, /script|onclick|t\.example/);
    assert.match(mail.html!, /src="cid:logo"/);
    const raw = (await mimeBuffer(mail, { keepBcc: false })).toString('latin1');
    assert.match(raw, /Content-Type: multipart\/related/);
    assert.match(raw, /Content-ID: <logo>/);
  });

  it('streams attachments into the MIME with RFC 2231 Korean file names', async () => {
    const bytes = Buffer.alloc(300_000, 7);
    const mail = prepareMail(
      { to: ['a@korea.kr'], text: '첨부합니다' },
      {
        from,
        now,
        attachments: [
          {
            filename: '회의록 2026.hwp',
            contentType: safeContentType('application/x-hwp; name=evil'),
            size: bytes.length,
            open: () => Readable.from([bytes.subarray(0, 100_000), bytes.subarray(100_000)]),
          },
        ],
      },
    );
    const raw = (await mimeBuffer(mail, { keepBcc: false })).toString('latin1');
    assert.match(raw, /Content-Type: application\/x-hwp;\r\n name=/);
    assert.match(raw, /filename\*0\*=utf-8''|filename\*=utf-8''|filename="=\?UTF-8/i);
    assert.ok(raw.length > 400_000, 'the whole attachment is in the message (base64)');
  });

  it('refuses a message without recipients unless it is a draft', () => {
    refuses(() => prepareMail({ subject: 'x' }, { from, now }), 'ERR_MAIL_NO_RECIPIENTS');
    assert.deepEqual(
      prepareMail({ subject: 'x' }, { from, now, allowNoRecipients: true }).recipients.all,
      [],
    );
  });

  it('refuses too many attachments and path separators in file names', () => {
    const a = { filename: 'a', contentType: 'text/plain', size: 1, open: () => Readable.from(['a']) };
    refuses(
      () => prepareMail({ to: ['a@korea.kr'] }, { from, now, attachments: Array(51).fill(a) }),
      'ERR_MAIL_TOO_MANY_ATTACHMENTS',
    );
    refuses(() => validateFilename('../../etc/passwd'), 'ERR_MAIL_HEADER_INVALID');
    assert.equal(safeContentType('text/html\r\nX: y'), 'application/octet-stream');
  });
});
