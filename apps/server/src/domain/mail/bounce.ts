// The DSN bouncer of the outbound queue: builds the RFC 3464 report for the recipients that failed
// for good and stores it in the sender's inbox, inside the queue's settle transaction.
import { buffer } from 'node:stream/consumers';
import type { Db } from '../db.ts';
import { buildDsn, dsnSafe, headerBlock } from './dsn.ts';
import type { Bouncer } from './outbound.ts';
import type { MailServices } from './services.ts';
import { storeMessage } from './store/index.ts';

export const DSN_SUBJECT = '메일 전달 실패 (Undelivered Mail Returned to Sender)';

async function originalSubject(trx: Db, sentEntryId: string | null): Promise<string> {
  if (!sentEntryId) return '';
  const r = await trx
    .selectFrom('mail_entries as e')
    .innerJoin('mail_messages as m', 'm.id', 'e.message_id')
    .select('m.subject')
    .where('e.id', '=', sentEntryId)
    .executeTakeFirst();
  return r?.subject ?? '';
}

export function dsnBouncer(mail: MailServices): Bouncer {
  return async (trx, row, failures, now) => {
    let head: Buffer;
    try {
      head = headerBlock(await buffer(await mail.blobs.open(row.raw_sha256, { start: 0, end: 65_535 })));
    } catch {
      head = Buffer.from(`Message-ID: ${row.header_message_id}\r\n`);
    }
    const domain = row.mail_from.slice(row.mail_from.lastIndexOf('@') + 1);
    const subject = await originalSubject(trx, row.sent_entry_id);
    const dsn = await buildDsn({
      reportingMta: mail.settings.hostname,
      domain,
      to: row.mail_from,
      arrivalDate: row.created_at,
      now,
      originalHeaders: head,
      originalSubject: subject,
      originalMessageId: row.header_message_id,
      recipients: failures.map((f) => ({
        address: f.address,
        action: 'failed' as const,
        status: f.status,
        remoteMta: f.remoteMta,
        diagnostic: f.diagnostic,
        lastAttempt: new Date(f.at),
      })),
    });
    const blob = await mail.blobs.put(dsn.raw);
    const text = [
      '보내신 메일을 다음 받는 사람에게 전달하지 못했습니다.',
      ...failures.map((f) => `${f.address}: ${dsnSafe(f.diagnostic)}`),
      `제목: ${subject}`,
    ].join('\n');
    const stored = await storeMessage(trx, {
      blob,
      parsed: {
        messageId: dsn.messageId,
        inReplyTo: row.header_message_id,
        references: row.header_message_id,
        subject: DSN_SUBJECT,
        from: { name: '메일 전달 시스템 (Mail Delivery System)', address: `mailer-daemon@${domain}` },
        to: [{ name: '', address: row.mail_from }],
        cc: [],
        date: now,
        text,
        attachments: [],
      },
      recipients: [row.account_id],
      envelope: { mailFrom: null, rcptTo: [row.mail_from] },
      now,
      onQuotaExceeded: 'skip',
    });
    return stored.deliveries[0]?.entryId ?? null;
  };
}
