// The readable body of a stored message, for display: the text and HTML parts parsed again from the
// raw blob with mailparser's streaming parser. Attachment contents are drained, never kept (the API
// serves them from their own blobs).
import type { Readable } from 'node:stream';
import { MailParser } from 'mailparser';

export interface MessageBody {
  readonly text: string | null;
  /** untrusted: sanitize before showing */
  readonly html: string | null;
}

export const MAX_BODY_TEXT = 2 * 1024 * 1024;

export async function readMessageBody(raw: Readable): Promise<MessageBody> {
  const parser = new MailParser({
    skipTextToHtml: true,
    skipImageLinks: true,
    skipTextLinks: true,
    maxHtmlLengthToParse: 2 * 1024 * 1024,
  });
  let text: string | null = null;
  let html: string | null = null;
  parser.on('data', (data) => {
    if (data.type === 'text') {
      text = typeof data.text === 'string' ? data.text.slice(0, MAX_BODY_TEXT) : null;
      html = typeof data.html === 'string' ? data.html : null;
    } else {
      data.content.on('end', () => data.release());
      data.content.resume();
    }
  });
  const done = new Promise<void>((resolve, reject) => {
    parser.on('end', resolve);
    parser.on('error', reject);
    raw.on('error', reject);
  });
  raw.pipe(parser);
  await done;
  return { text, html };
}
