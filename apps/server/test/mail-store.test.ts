import assert from 'node:assert/strict';
import { it } from 'node:test';
import { forEachDatabase } from '@gongjik/db/testing';
import {
  createFolder,
  createSystemFolders,
  deleteFolder,
  deleteMessages,
  folderIdByRole,
  getMessage,
  getQuota,
  getThread,
  listFolders,
  listMessages,
  moveMessages,
  renameFolder,
  searchMessages,
  setFlags,
  setQuota,
  storeMessage,
} from '../src/domain/mail/store/index.ts';
import { activeAccount, fakeBlob, parsedMessage } from './mail-store-helpers.ts';

const now = new Date('2026-03-02T01:00:00Z');
const at = (minutes: number) => new Date(now.getTime() + minutes * 60_000);

forEachDatabase('mail store', (suite) => {
  it('creates the five system folders once, with Korean names', async () => {
    const { accountId } = await activeAccount(suite.db);
    const a = await createSystemFolders(suite.db, accountId, { now });
    const b = await createSystemFolders(suite.db, accountId, { now });
    assert.deepEqual(a, b);
    const folders = await listFolders(suite.db, accountId);
    assert.deepEqual(
      folders.map((f) => [f.role, f.name]),
      [
        ['inbox', '받은편지함'],
        ['sent', '보낸편지함'],
        ['drafts', '임시보관함'],
        ['spam', '스팸'],
        ['trash', '휴지통'],
      ],
    );
  });

  it('delivers one message to several mailboxes in one transaction, with counts and quota usage', async () => {
    const a = await activeAccount(suite.db);
    const b = await activeAccount(suite.db);
    const r = await storeMessage(suite.db, {
      blob: fakeBlob(1234),
      parsed: parsedMessage(),
      recipients: [a.accountId, b.accountId, a.accountId],
      now,
    });
    assert.equal(r.deliveries.length, 2);
    const rows = await suite.db
      .selectFrom('mail_messages')
      .select('id')
      .where('id', '=', r.messageId)
      .execute();
    assert.equal(rows.length, 1);
    for (const acc of [a, b]) {
      const inbox = (await listFolders(suite.db, acc.accountId)).find((f) => f.role === 'inbox')!;
      assert.equal(inbox.total, 1);
      assert.equal(inbox.unread, 1);
      assert.deepEqual(await getQuota(suite.db, acc.accountId), {
        quotaBytes: 1024 ** 3,
        usedBytes: 1234,
        messages: 1,
      });
    }
  });

  it('refuses a delivery to a full mailbox with ERR_MAIL_QUOTA_EXCEEDED and stores nothing', async () => {
    const a = await activeAccount(suite.db);
    const b = await activeAccount(suite.db);
    await createSystemFolders(suite.db, a.accountId, { now });
    await setQuota(suite.db, a.accountId, 1500, { now });
    await storeMessage(suite.db, {
      blob: fakeBlob(1000),
      parsed: parsedMessage(),
      recipients: [a.accountId],
      now,
    });
    const before = await suite.db
      .selectFrom('mail_messages')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    await assert.rejects(
      storeMessage(suite.db, {
        blob: fakeBlob(1000),
        parsed: parsedMessage(),
        recipients: [b.accountId, a.accountId],
        now,
      }),
      { code: 'ERR_MAIL_QUOTA_EXCEEDED' },
    );
    const after = await suite.db
      .selectFrom('mail_messages')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(Number(after.n), Number(before.n));
    assert.equal((await getQuota(suite.db, b.accountId))?.messages ?? 0, 0);
    const skipped = await storeMessage(suite.db, {
      blob: fakeBlob(1000),
      parsed: parsedMessage(),
      recipients: [b.accountId, a.accountId],
      now,
      onQuotaExceeded: 'skip',
    });
    assert.deepEqual(
      skipped.deliveries.map((d) => d.accountId),
      [b.accountId],
    );
    assert.deepEqual(skipped.skipped, [{ accountId: a.accountId, code: 'ERR_MAIL_QUOTA_EXCEEDED' }]);
  });

  it('threads a reply with its parent, and a reply that arrived first joins when the parent comes', async () => {
    const a = await activeAccount(suite.db);
    const parent = parsedMessage({ messageId: '<p1@x.kr>' });
    const reply = parsedMessage({
      messageId: '<r1@x.kr>',
      subject: 'RE: 3월 정기회의 안내',
      inReplyTo: '<p1@x.kr>',
      references: '<p1@x.kr>',
    });
    const first = await storeMessage(suite.db, {
      blob: fakeBlob(),
      parsed: reply,
      recipients: [a.accountId],
      now,
    });
    const second = await storeMessage(suite.db, {
      blob: fakeBlob(),
      parsed: parent,
      recipients: [a.accountId],
      now: at(1),
    });
    assert.equal(first.deliveries[0]!.threadId, second.deliveries[0]!.threadId);
    const thread = await getThread(suite.db, a.accountId, first.deliveries[0]!.threadId);
    assert.equal(thread.length, 2);
    const unrelated = await storeMessage(suite.db, {
      blob: fakeBlob(),
      parsed: parsedMessage(),
      recipients: [a.accountId],
      now: at(2),
    });
    assert.notEqual(unrelated.deliveries[0]!.threadId, first.deliveries[0]!.threadId);
    const bySubject = await storeMessage(suite.db, {
      blob: fakeBlob(),
      parsed: parsedMessage({ messageId: null, subject: '회신: 3월 정기회의 안내' }),
      recipients: [a.accountId],
      now: at(3),
    });
    assert.ok(
      [first.deliveries[0]!.threadId, unrelated.deliveries[0]!.threadId].includes(
        bySubject.deliveries[0]!.threadId,
      ),
    );
  });

  it('lists a folder newest first by keyset cursor without gaps or repeats', async () => {
    const a = await activeAccount(suite.db);
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      const r = await storeMessage(suite.db, {
        blob: fakeBlob(),
        parsed: parsedMessage({ subject: `m${i}` }),
        recipients: [a.accountId],
        now: at(i % 3), // equal times: the id breaks ties
      });
      ids.push(r.deliveries[0]!.entryId);
    }
    const inbox = await folderIdByRole(suite.db, a.accountId, 'inbox', now);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const p = await listMessages(suite.db, a.accountId, inbox, { cursor, limit: 3 });
      seen.push(...p.items.map((m) => m.id));
      cursor = p.nextCursor;
    } while (cursor);
    assert.deepEqual([...seen].sort(), [...ids].sort());
    assert.equal(new Set(seen).size, 7);
    await assert.rejects(listMessages(suite.db, a.accountId, inbox, { cursor: 'bad!' }), {
      code: 'ERR_MAIL_CURSOR_INVALID',
    });
  });

  it("treats another account's message and folder ids as not found", async () => {
    const a = await activeAccount(suite.db);
    const b = await activeAccount(suite.db);
    const r = await storeMessage(suite.db, {
      blob: fakeBlob(),
      parsed: parsedMessage(),
      recipients: [a.accountId],
      now,
    });
    const entry = r.deliveries[0]!.entryId;
    await createSystemFolders(suite.db, b.accountId, { now });
    await assert.rejects(getMessage(suite.db, b.accountId, entry), { code: 'ERR_MAIL_MESSAGE_NOT_FOUND' });
    await assert.rejects(setFlags(suite.db, b.accountId, [entry], { seen: true }), {
      code: 'ERR_MAIL_MESSAGE_NOT_FOUND',
    });
    await assert.rejects(deleteMessages(suite.db, b.accountId, [entry], { now }), {
      code: 'ERR_MAIL_MESSAGE_NOT_FOUND',
    });
    await assert.rejects(listMessages(suite.db, b.accountId, r.deliveries[0]!.folderId), {
      code: 'ERR_MAIL_FOLDER_NOT_FOUND',
    });
    const bInbox = await folderIdByRole(suite.db, b.accountId, 'inbox', now);
    await assert.rejects(moveMessages(suite.db, b.accountId, [entry], bInbox), {
      code: 'ERR_MAIL_MESSAGE_NOT_FOUND',
    });
    assert.equal((await getMessage(suite.db, a.accountId, entry)).id, entry);
  });

  it('keeps unread counts right through flags, moves and deletes; delete goes to Trash, then for good', async () => {
    const a = await activeAccount(suite.db);
    const r = await storeMessage(suite.db, {
      blob: fakeBlob(500),
      parsed: parsedMessage(),
      recipients: [a.accountId],
      now,
    });
    const id = r.deliveries[0]!.entryId;
    const counts = async () =>
      Object.fromEntries(
        (await listFolders(suite.db, a.accountId)).map((f) => [f.role ?? f.name, [f.total, f.unread]]),
      );
    assert.deepEqual((await counts()).inbox, [1, 1]);
    await setFlags(suite.db, a.accountId, [id], { seen: true, flagged: true });
    assert.deepEqual((await counts()).inbox, [1, 0]);
    assert.equal((await getMessage(suite.db, a.accountId, id)).flags.flagged, true);
    const work = await createFolder(suite.db, a.accountId, { name: '업무' }, { now });
    await moveMessages(suite.db, a.accountId, [id], work.id);
    assert.deepEqual((await counts()).inbox, [0, 0]);
    assert.deepEqual((await counts())['업무'], [1, 0]);
    assert.deepEqual(await deleteMessages(suite.db, a.accountId, [id], { now }), { trashed: 1, purged: 0 });
    assert.deepEqual((await counts()).trash, [1, 0]);
    assert.deepEqual(await deleteMessages(suite.db, a.accountId, [id], { now }), { trashed: 0, purged: 1 });
    assert.deepEqual((await counts()).trash, [0, 0]);
    assert.equal((await getQuota(suite.db, a.accountId))!.usedBytes, 0);
    const left = await suite.db
      .selectFrom('mail_messages')
      .select('id')
      .where('id', '=', r.messageId)
      .execute();
    assert.equal(left.length, 0);
  });

  it('nests, renames and deletes user folders (messages go to Trash) and refuses system folder changes', async () => {
    const a = await activeAccount(suite.db);
    const inbox = await folderIdByRole(suite.db, a.accountId, 'inbox', now);
    const top = await createFolder(suite.db, a.accountId, { name: '프로젝트' }, { now });
    const sub = await createFolder(suite.db, a.accountId, { name: '2026', parentId: top.id }, { now });
    await assert.rejects(createFolder(suite.db, a.accountId, { name: '프로젝트' }, { now }), {
      code: 'ERR_MAIL_FOLDER_NAME_TAKEN',
    });
    await assert.rejects(createFolder(suite.db, a.accountId, { name: 'a/b' }, { now }), {
      code: 'ERR_MAIL_FOLDER_NAME_INVALID',
    });
    await assert.rejects(renameFolder(suite.db, a.accountId, inbox, '편지함', { now }), {
      code: 'ERR_MAIL_FOLDER_SYSTEM',
    });
    await assert.rejects(deleteFolder(suite.db, a.accountId, inbox, { now }), {
      code: 'ERR_MAIL_FOLDER_SYSTEM',
    });
    assert.equal((await renameFolder(suite.db, a.accountId, top.id, '과제', { now })).name, '과제');
    const r = await storeMessage(suite.db, {
      blob: fakeBlob(),
      parsed: parsedMessage(),
      recipients: [{ accountId: a.accountId, folderId: sub.id }],
      now,
    });
    assert.deepEqual(await deleteFolder(suite.db, a.accountId, top.id, { now }), {
      deletedFolders: 2,
      movedToTrash: 1,
    });
    const m = await getMessage(suite.db, a.accountId, r.deliveries[0]!.entryId);
    assert.equal(m.folderId, await folderIdByRole(suite.db, a.accountId, 'trash', now));
  });

  it('finds 회의 in 회의는, 정기회의 and 회의록, with filters, only in the own mailbox', async () => {
    const a = await activeAccount(suite.db);
    const b = await activeAccount(suite.db);
    const put = (
      subject: string,
      text: string,
      minutes: number,
      extra: Partial<Parameters<typeof parsedMessage>[0]> = {},
    ) =>
      storeMessage(suite.db, {
        blob: fakeBlob(),
        parsed: parsedMessage({ subject, text, ...extra }),
        recipients: [a.accountId],
        now: at(minutes),
      });
    await put('알림', '내일 회의는 취소', 1);
    await put('정기회의 일정', '본문', 2);
    await put('자료', '회의록 첨부', 3, {
      attachments: [
        {
          partId: '2',
          filename: '회의록.hwp',
          contentType: 'application/x-hwp',
          size: 10,
          sha256: 'a'.repeat(64),
          contentId: null,
          inline: false,
        },
      ],
    });
    await put('점심', '식당 예약 Budget 2026', 4);
    await storeMessage(suite.db, {
      blob: fakeBlob(),
      parsed: parsedMessage({ subject: '회의' }),
      recipients: [b.accountId],
      now,
    });
    const hits = await searchMessages(suite.db, a.accountId, { q: '회의' });
    assert.deepEqual(
      hits.items.map((m) => m.subject),
      ['자료', '정기회의 일정', '알림'],
    );
    const withAtt = await searchMessages(suite.db, a.accountId, { q: '회의', hasAttachments: true });
    assert.deepEqual(
      withAtt.items.map((m) => m.subject),
      ['자료'],
    );
    const ranged = await searchMessages(suite.db, a.accountId, { q: '회의', from: at(2), to: at(3) });
    assert.deepEqual(
      ranged.items.map((m) => m.subject),
      ['정기회의 일정'],
    );
    assert.deepEqual(
      (await searchMessages(suite.db, a.accountId, { q: 'budg' })).items.map((m) => m.subject),
      ['점심'],
    );
    assert.deepEqual(
      (await searchMessages(suite.db, a.accountId, { q: '2026' })).items.map((m) => m.subject),
      ['점심'],
    );
    const ranked = await searchMessages(suite.db, a.accountId, { q: '회의', order: 'relevance', limit: 1 });
    assert.equal(ranked.items[0]!.subject, '정기회의 일정'); // a subject hit ranks first
    const next = await searchMessages(suite.db, a.accountId, {
      q: '회의',
      order: 'relevance',
      limit: 5,
      cursor: ranked.nextCursor,
    });
    assert.equal(next.items.length, 2);
    assert.ok(!next.items.some((m) => m.subject === '정기회의 일정'));
  });

  it('answers search from the GIN index, not a sequential scan', async () => {
    const a = await activeAccount(suite.db);
    const { sql } = await import('kysely');
    await sql`SET enable_seqscan = off`.execute(suite.db);
    try {
      const plan = await sql<{
        'QUERY PLAN': string;
      }>`EXPLAIN SELECT id FROM mail_entries WHERE search_vector @@ ${`'~account:${a.accountId}' & '회의'`}::tsquery`.execute(
        suite.db,
      );
      assert.match(plan.rows.map((r) => r['QUERY PLAN']).join('\n'), /mail_entries_search_idx/);
    } finally {
      await sql`SET enable_seqscan = on`.execute(suite.db);
    }
  });
});
