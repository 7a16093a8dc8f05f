import { ensure } from '../util/fail.ts';

// ZLIB (RFC 1950) around DEFLATE (RFC 1951), as the Token Status List requires. CompressionStream's
// 'deflate' format is exactly that, and exists in Node ≥ 18 and every current browser.

export async function deflateZlib(data: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  const stream = new Blob([data]).stream().pipeThrough(new CompressionStream('deflate'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Inflates ZLIB data, refusing (ERR_MID_MALFORMED) output larger than `maxBytes` or bad input. */
export async function inflateZlib(
  data: Uint8Array<ArrayBuffer>,
  maxBytes: number,
): Promise<Uint8Array<ArrayBuffer>> {
  const reader = new Blob([data]).stream().pipeThrough(new DecompressionStream('deflate')).getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > maxBytes) {
        await reader.cancel().catch(() => {});
        ensure(false, 'status_list size');
      }
      chunks.push(value);
    }
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_MID_MALFORMED') throw err;
    ensure(false, 'status_list lst');
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.length;
  }
  return out;
}
