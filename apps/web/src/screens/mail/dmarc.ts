import type { MessageDetail } from './api.ts';

/** DMARC results that mean the From domain did not vouch for the message (RFC 7489). */
export function dmarcFailed(detail: Pick<MessageDetail, 'auth'>): boolean {
  const r = detail.auth?.dmarc.toLowerCase();
  return r === 'fail' || r === 'permerror';
}
