// A small HTTP client for CLI commands that talk to a running server with the admin token.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GongjikError, isErrorCode } from '@gongjik/errors';
import { type CommandContext, type OptionSpec, optionalString } from './command.ts';

export const serverOptions: Record<string, OptionSpec> = {
  server: { type: 'string', description: 'server URL (default http://localhost:8080)' },
  token: { type: 'string', description: 'admin token (default: read from <data>/admin-token)' },
  data: { type: 'string', description: 'data directory to read the admin token from (default ./data)' },
};

export interface ApiClient {
  request<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T>;
}

/** Builds the client from --server, --token / --data. */
export function adminClient(ctx: CommandContext, fetchImpl: typeof fetch = fetch): ApiClient {
  const server = (optionalString(ctx, 'server') ?? 'http://localhost:8080').replace(/\/+$/, '');
  let token = optionalString(ctx, 'token');
  if (!token) {
    const file = join(optionalString(ctx, 'data') ?? 'data', 'admin-token');
    if (!existsSync(file)) throw new GongjikError('ERR_CLI_FILE_NOT_FOUND', { path: file });
    token = readFileSync(file, 'utf8').trim();
  }
  return {
    async request<T>(method: string, path: string, body?: unknown): Promise<T> {
      let res: Response;
      try {
        res = await fetchImpl(`${server}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${token}`,
            accept: 'application/json',
            'accept-language': 'en',
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
      } catch (err) {
        throw new GongjikError('ERR_CLI_SERVER_UNREACHABLE', { server }, { cause: err });
      }
      const text = await res.text();
      const json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
      if (!res.ok) {
        const code =
          typeof json.code === 'string' && isErrorCode(json.code) ? json.code : 'ERR_SERVER_INTERNAL';
        const details = (json.details ?? {}) as Record<string, string>;
        throw new GongjikError(code, details);
      }
      return json as T;
    },
  };
}
