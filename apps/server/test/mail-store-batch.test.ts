// Group commit: storeMessages (several messages, one transaction) and the DeliveryBatcher that the
// SMTP server uses. Each message is refused or stored on its own, quotas count the batch's earlier
// messages, threads join within a batch, and the recipient lookup answers many addresses at once.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { forEachDatabase } from '@gongjik/db/testing';
import {
  DeliveryBatcher,
  getQuota,
  getThread,
  listMessages,
  RecipientLookup,
  setQuota,
  storeMessages,
} from '../src/domain/mail/store/index.ts';
import { activeAccount, fakeBlob, parsedMessage } from './mail-store-helpers.ts';

const now = new Date('2026-03-02T01:00:00Z');

forEachDatabase('mail store: group commit', (suite) => {
  it('stores a batch in one call; quota counts the earlier messages of the batch', async () => {
    const a = await activeAccount(suite.db);
    const b = await activeAccount(suite.db);
    await storeMessages(suite.db, [
      { blob: fakeBlob(10), parsed: parsedMessage(), recipients: [a.accountId], now },
    ]);
    await setQuota(suite.db, a.accountId, 2500, { now });
    const outcomes = await storeMessages(suite.db, [
      { blob: fakeBlob(1000), parsed: parsedMessage(), recipients: [a.accountId], now },
      { blob: fakeBlob(1000), parsed: parsedMessage(), recipients: [a.accountId, b.accountId], now },
      // a's mailbox now holds 2,010 of 2,500 bytes: this one no longer fits, b's next one does
      { blob: fakeBlob(1000), parsed: parsedMessage(), recipients: [a.accountId], now },
      { blob: fakeBlob(1000), parsed: parsedMessage(), recipients: [b.accountId], now },
      { blob: fakeBlob(1000), parsed: parsedMessage(), recipients: [], now },
    ]);
    assert.deepEqual(
      outcomes.map((o) => ('error' in o ? o.error.code : o.result.deliveries.length)),
      [1, 2, 'ERR_MAIL_QUOTA_EXCEEDED', 1, 'ERR_MAIL_NO_RECIPIENTS'],
    );
    assert.equal((await getQuota(suite.db, a.accountId))!.usedBytes, 2010);
    assert.equal((await getQuota(suite.db, b.accountId))!.usedBytes, 2000);
    const first = outcomes[0]!;
    assert.ok('result' in first);
    const inbox = await listMessages(suite.db, a.accountId, first.result.deliveries[0]!.folderId, {
      limit: 10,
    });
    assert.equal(inbox.items.length, 3);
  });

  it('threads a reply with its parent when both are in the same batch, and a parent with an early reply', async () => {
    const a = await activeAccount(suite.db);
    const [parent, reply, , lateParent] = await storeMessages(suite.db, [
      { blob: fakeBlob(), parsed: parsedMessage({ messageId: '<bp@x.kr>' }), recipients: [a.accountId], now },
      {
        blob: fakeBlob(),
        parsed: parsedMessage({ messageId: '<br@x.kr>', inReplyTo: '<bp@x.kr>', references: '<bp@x.kr>' }),
        recipients: [a.accountId],
        now,
      },
      {
        blob: fakeBlob(),
        parsed: parsedMessage({ messageId: '<er@x.kr>', inReplyTo: '<ep@x.kr>', references: '<ep@x.kr>' }),
        recipients: [a.accountId],
        now,
      },
      { blob: fakeBlob(), parsed: parsedMessage({ messageId: '<ep@x.kr>' }), recipients: [a.accountId], now },
    ]);
    const thread = (o: typeof parent) => ('result' in o! ? o.result.deliveries[0]!.threadId : '');
    assert.equal(thread(parent), thread(reply));
    assert.equal((await getThread(suite.db, a.accountId, thread(parent))).length, 2);
    assert.notEqual(thread(lateParent), thread(parent));
    assert.equal((await getThread(suite.db, a.accountId, thread(lateParent))).length, 2);
  });

  it('the batcher answers each caller after its commit, refusals to their own caller only', async () => {
    const a = await activeAccount(suite.db);
    const full = await activeAccount(suite.db);
    await storeMessages(suite.db, [
      { blob: fakeBlob(10), parsed: parsedMessage(), recipients: [full.accountId], now },
    ]);
    await setQuota(suite.db, full.accountId, 100, { now });
    const batcher = new DeliveryBatcher(suite.db, { concurrency: 1 });
    const results = await Promise.allSettled(
      Array.from({ length: 12 }, (_, i) =>
        batcher.store({
          blob: fakeBlob(200),
          parsed: parsedMessage(),
          recipients: [i === 5 ? full.accountId : a.accountId],
          now,
        }),
      ),
    );
    assert.deepEqual(
      results.map((r) => (r.status === 'fulfilled' ? 'ok' : (r.reason as { code: string }).code)),
      Array.from({ length: 12 }, (_, i) => (i === 5 ? 'ERR_MAIL_QUOTA_EXCEEDED' : 'ok')),
    );
    assert.ok(batcher.stats.batches < 12, 'messages that waited shared a transaction');
    assert.equal((await getQuota(suite.db, a.accountId))!.messages, 11);
  });

  it('looks up many recipients in one query; unknown and inactive addresses are null', async () => {
    const a = await activeAccount(suite.db);
    const b = await activeAccount(suite.db);
    const lookup = new RecipientLookup(suite.db, { concurrency: 1 });
    const [ra, rb, unknown, upper] = await Promise.all([
      lookup.find(a.address),
      lookup.find(b.address),
      lookup.find('nobody@korea.kr'),
      lookup.find(a.address.toUpperCase()),
    ]);
    assert.equal(ra?.accountId, a.accountId);
    assert.equal(rb?.accountId, b.accountId);
    assert.equal(unknown, null);
    assert.equal(upper?.accountId, a.accountId);
    await suite.db.updateTable('accounts').set({ state: 'locked' }).where('id', '=', b.accountId).execute();
    assert.equal(await lookup.find(b.address), null, 'a locked account receives nothing');
  });
});
