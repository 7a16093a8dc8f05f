import { type ErrorCode, registry, smtpReplyOf } from '@gongjik/errors';
import { defineCommand } from '../command.ts';

export const errorsCommand = defineCommand({
  name: 'errors',
  summary: 'list every stable error code with its HTTP status, SMTP reply and messages',
  usage: 'errors [CODE]',
  async run(ctx) {
    const wanted = ctx.positionals[0];
    const codes = (Object.keys(registry) as ErrorCode[]).filter((c) => !wanted || c === wanted).sort();
    const list = codes.map((code) => ({
      code,
      status: registry[code].status,
      smtp: smtpReplyOf(code),
      title: registry[code].title,
      ko: registry[code].ko,
      en: registry[code].en,
    }));
    for (const e of list) ctx.print(`${e.code.padEnd(36)} ${e.status}  ${e.title}`);
    return { errors: list };
  },
});
