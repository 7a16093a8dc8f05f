// Checks of the server's answers: the screens only ever see values of the promised shape.
import { BadResponseError } from './http.ts';

export function asObject(value: unknown, what: string): Record<string, unknown> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new BadResponseError(what);
  return value as Record<string, unknown>;
}

export function str(obj: Record<string, unknown>, key: string, max = 1024): string {
  const value = obj[key];
  if (typeof value !== 'string' || value.length === 0 || value.length > max) throw new BadResponseError(key);
  return value;
}

export function optStr(obj: Record<string, unknown>, key: string, max = 1024): string | null {
  const value = obj[key];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || value.length > max) throw new BadResponseError(key);
  return value;
}
