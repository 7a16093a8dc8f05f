// RFC 9457 problem details for every error the HTTP API returns. A GongjikError keeps its code and
// the registry's status; Fastify's own input errors become ERR_INPUT_INVALID / ERR_INPUT_TOO_LARGE;
// anything else becomes ERR_SERVER_INTERNAL, logged with its cause, never shown.
import { type ErrorCode, GongjikError, type Lang, specOf } from '@gongjik/errors';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export const PROBLEM_JSON = 'application/problem+json';

export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly code: ErrorCode;
  readonly details: Record<string, unknown>;
  readonly instance: string;
}

/** The user's language from Accept-Language: Korean unless English comes first. */
export function languageOf(request: FastifyRequest): Lang {
  const header = request.headers['accept-language'];
  const first = (Array.isArray(header) ? header[0] : header)?.split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'ko';
}

export function problemOf(err: GongjikError, lang: Lang, requestId: string): Problem {
  const spec = specOf(err.code);
  return {
    type: `urn:gongjik:error:${err.code}`,
    title: spec.title,
    status: spec.status,
    detail: err.localized(lang),
    code: err.code,
    details: { ...err.details },
    instance: `urn:gongjik:request:${requestId}`,
  };
}

function fromFastify(error: FastifyError): GongjikError | undefined {
  if (error instanceof GongjikError) return error;
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new GongjikError('ERR_INPUT_TOO_LARGE');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new GongjikError('ERR_INPUT_INVALID', { field: 'content-type' });
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new GongjikError('ERR_INPUT_INVALID', { field: 'body' });
  }
  if (error.validation)
    return new GongjikError('ERR_INPUT_INVALID', { field: error.validationContext ?? 'input' });
  if (error instanceof SyntaxError && error.statusCode === 400)
    return new GongjikError('ERR_INPUT_INVALID', { field: 'body' });
  return undefined;
}

export function sendProblem(reply: FastifyReply, err: GongjikError): FastifyReply {
  const problem = problemOf(err, languageOf(reply.request), reply.request.id);
  // Rate-limit refusals say when to come back (RFC 9110 Retry-After, in seconds).
  const retryAfter = err.details.retryAfter;
  if (typeof retryAfter === 'number' && Number.isFinite(retryAfter))
    reply.header('retry-after', String(Math.max(0, Math.ceil(retryAfter))));
  return reply
    .code(problem.status)
    .header('content-type', `${PROBLEM_JSON}; charset=utf-8`)
    .header('cache-control', 'no-store')
    .send(problem);
}

export function installProblemHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const known = fromFastify(error);
    if (known) {
      if (known.status >= 500) request.log.error({ err: error }, 'request failed');
      return sendProblem(reply, known);
    }
    request.log.error({ err: error }, 'unexpected error');
    return sendProblem(reply, new GongjikError('ERR_SERVER_INTERNAL', {}, { cause: error }));
  });
  app.setNotFoundHandler((_request, reply) => sendProblem(reply, new GongjikError('ERR_RESOURCE_NOT_FOUND')));
}
