// `gongjik admin dkim show`: the DKIM TXT records the administrator publishes in DNS.
import { adminClient, serverOptions } from '../client.ts';
import { defineCommand, optionalString } from '../command.ts';

interface DkimRecord {
  domain: string;
  selector: string;
  name: string;
  value: string;
  zoneLine: string;
}

export const adminDkimShow = defineCommand({
  name: 'admin dkim show',
  summary: 'show the DKIM public keys of the mail domains as DNS TXT records to publish',
  usage: 'admin dkim show [--domain D]',
  options: {
    ...serverOptions,
    domain: { type: 'string', description: 'only this mail domain' },
  },
  async run(ctx) {
    const r = await adminClient(ctx).request<{ records: DkimRecord[] }>('GET', '/api/v1/admin/mail/dkim');
    const domain = optionalString(ctx, 'domain');
    const records = domain ? r.records.filter((x) => x.domain === domain.toLowerCase()) : r.records;
    for (const rec of records) {
      ctx.print(`; ${rec.domain} (selector ${rec.selector})`);
      ctx.print(rec.zoneLine);
    }
    if (records.length === 0) ctx.print('no DKIM key yet: it is made on the first start of the server');
    return { records };
  },
});

export const dkimCommands = [adminDkimShow];
