// Streaming MIME parsing (mailparser's MailParser): headers and text into a ParsedMessage; each
// attachment's decoded content streamed into its own blob (identical attachments are stored once,
// whatever message carries them). Nothing holds an attachment in memory.
import type { AddressObject, EmailAddress } from 'mailparser';
import { MailParser } from 'mailparser';
import type { BlobStore } from '../domain/mail/blobs/blob-store.ts';
import type { MailAddressJson, MailAttachmentJson, ParsedMessage } from '../domain/mail/store/types.ts';

/** Most characters of text kept for the excerpt and the search index. */
export const MAX_TEXT_CHARS = 200_000;
/** Most attachments recorded per message (the raw message keeps them all). */
export const MAX_ATTACHMENTS = 200;
const MAX_ADDRESSES = 500;

export interface MessageParser {
  /** Feeds raw bytes; resolves when the parser can take more. */
  write(chunk: Uint8Array): Promise<void>;
  /** Ends the input and returns the result once every attachment blob is durable. */
  finish(): Promise<ParsedMessage>;
  /** Stops parsing (the message is refused); attachment blobs already written stay for the GC. */
  abort(): void;
}

function flatten(v: AddressObject | AddressObject[] | undefined): MailAddressJson[] {
  const out: MailAddressJson[] = [];
  const walk = (list: EmailAddress[]) => {
    for (const a of list) {
      if (out.length >= MAX_ADDRESSES) return;
      if (a.group) walk(a.group);
      else if (a.address)
        out.push({ name: (a.name ?? '').slice(0, 200), address: a.address.slice(0, 320).toLowerCase() });
    }
  };
  for (const o of v === undefined ? [] : Array.isArray(v) ? v : [v]) walk(o.value);
  return out;
}

export function createMessageParser(blobs: BlobStore, options: { maxBytes: number }): MessageParser {
  const parser = new MailParser({
    skipTextToHtml: true,
    skipImageLinks: true,
    skipTextLinks: true,
    maxHtmlLengthToParse: 2 * 1024 * 1024,
  });
  let headers: Map<string, unknown> = new Map();
  let text = '';
  let html: string | false = false;
  const attachments: Promise<MailAttachmentJson | null>[] = [];
  let index = 0;
  let failure: unknown = null;

  parser.on('headers', (h) => {
    headers = h as Map<string, unknown>;
  });
  parser.on('data', (data) => {
    if (data.type === 'text') {
      text = (data.text ?? '').slice(0, MAX_TEXT_CHARS);
      html = typeof data.html === 'string' ? data.html : false;
      return;
    }
    const att = data;
    index++;
    const partId = (att as { partId?: string }).partId ?? String(index);
    if (attachments.length >= MAX_ATTACHMENTS) {
      att.content.resume();
      att.content.on('end', () => att.release());
      return;
    }
    attachments.push(
      blobs
        .put(att.content, { maxBytes: options.maxBytes })
        .then((ref) => ({
          partId,
          filename: att.filename ? att.filename.slice(0, 255) : null,
          contentType: (att.contentType || 'application/octet-stream').slice(0, 127),
          size: ref.size,
          sha256: ref.sha256,
          contentId: att.contentId ? att.contentId.replace(/^<|>$/g, '').slice(0, 250) : null,
          inline: att.contentDisposition === 'inline' || (!!att.contentId && att.related === true),
        }))
        .catch((err) => {
          failure ??= err;
          att.content.resume();
          return null;
        })
        .finally(() => att.release()),
    );
  });
  const ended = new Promise<void>((resolve, reject) => {
    parser.on('end', resolve);
    parser.on('error', reject);
  });
  ended.catch(() => {});

  return {
    async write(chunk) {
      if (!parser.write(chunk)) await new Promise((r) => parser.once('drain', r));
    },
    async finish() {
      parser.end();
      await ended;
      const list = (await Promise.all(attachments)).filter((a): a is MailAttachmentJson => a !== null);
      if (failure) throw failure;
      if (text === '' && html) text = htmlToPlain(html).slice(0, MAX_TEXT_CHARS);
      const get = <T>(k: string) => headers.get(k) as T | undefined;
      const date = get<Date>('date');
      return {
        messageId: get<string>('message-id') ?? null,
        inReplyTo: get<string>('in-reply-to') ?? null,
        references: get<string | string[]>('references') ?? null,
        subject: (get<string>('subject') ?? '').slice(0, 998),
        from: flatten(get<AddressObject>('from'))[0] ?? null,
        to: flatten(get<AddressObject | AddressObject[]>('to')),
        cc: flatten(get<AddressObject | AddressObject[]>('cc')),
        replyTo: flatten(get<AddressObject | AddressObject[]>('reply-to')),
        date: date instanceof Date && !Number.isNaN(date.getTime()) ? date : null,
        text,
        attachments: list,
      };
    },
    abort() {
      parser.destroy();
    },
  };
}

/** A rough HTML → text for the index when a message has no text part (tags dropped, entities kept). */
function htmlToPlain(html: string): string {
  return html
    .slice(0, 2 * 1024 * 1024)
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/\s+/g, ' ');
}
