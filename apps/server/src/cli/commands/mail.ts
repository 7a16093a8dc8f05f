// `gongjik admin mail gc`: blob garbage collection now (the server also runs it on a timer).
import { GongjikError } from '@gongjik/errors';
import { adminClient, serverOptions } from '../client.ts';
import { defineCommand, optionalString } from '../command.ts';

interface GcResult {
  scanned: number;
  referenced: number;
  recent: number;
  removed: number;
  removedBytes: number;
  temporaryFilesRemoved: number;
  dryRun: boolean;
}

export const adminMailGc = defineCommand({
  name: 'admin mail gc',
  summary: 'remove stored mail blobs that no message, upload, outbound copy or export names any more',
  usage: 'admin mail gc [--grace-hours H (default 24, at least 1)] [--dry-run]',
  options: {
    ...serverOptions,
    'grace-hours': { type: 'string', description: 'keep blobs written within this many hours (≥ 1)' },
    'dry-run': { type: 'boolean', description: 'only count what would be removed' },
  },
  async run(ctx) {
    const grace = optionalString(ctx, 'grace-hours');
    const graceHours = grace === undefined ? undefined : Number(grace);
    if (graceHours !== undefined && !(Number.isFinite(graceHours) && graceHours >= 1))
      throw new GongjikError('ERR_CLI_USAGE', { problem: '--grace-hours must be a number ≥ 1' });
    const r = await adminClient(ctx).request<GcResult>('POST', '/api/v1/admin/mail/gc', {
      ...(graceHours !== undefined ? { graceHours } : {}),
      dryRun: ctx.values['dry-run'] === true,
    });
    ctx.print(
      `${r.dryRun ? 'would remove' : 'removed'} ${r.removed} blob(s), ${(r.removedBytes / 1048576).toFixed(1)} MB; ` +
        `scanned ${r.scanned}, referenced ${r.referenced}, recent ${r.recent}, temporary files removed ${r.temporaryFilesRemoved}`,
    );
    return r;
  },
});

export const mailCommands = [adminMailGc];
