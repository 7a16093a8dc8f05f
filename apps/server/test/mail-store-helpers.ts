// Test support for the mail store: active accounts and parsed messages.
import { randomBytes } from 'node:crypto';
import type { Db } from '../src/domain/db.ts';
import type { ParsedMessage } from '../src/domain/mail/store/index.ts';
import { activate, seedPerson } from './helpers.ts';

export async function activeAccount(db: Db): Promise<{ accountId: string; address: string }> {
  const p = await seedPerson(db);
  await activate(db, p.accountId!);
  return { accountId: p.accountId!, address: `${p.mailId}@korea.kr` };
}

export function fakeBlob(size = 1000) {
  return { sha256: randomBytes(32).toString('hex'), size };
}

export function parsedMessage(over: Partial<ParsedMessage> = {}): ParsedMessage {
  return {
    messageId: `<${randomBytes(6).toString('hex')}@test.korea.kr>`,
    subject: '3월 정기회의 안내',
    from: { name: '홍길동', address: 'hong@korea.kr' },
    to: [{ name: '', address: 'kim@korea.kr' }],
    cc: [],
    date: new Date('2026-03-02T01:00:00Z'),
    text: '다음 주 회의는 오전 10시입니다. Meeting room 3.',
    attachments: [],
    ...over,
  };
}
