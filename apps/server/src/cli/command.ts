import type { ParseArgsConfig } from 'node:util';
import { GongjikError } from '@gongjik/errors';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>[string] & { description: string };

/** What a command's run() receives. */
export interface CommandContext {
  /** Parsed --options (strings or booleans; `multiple` options are arrays). */
  readonly values: Readonly<Record<string, string | boolean | (string | boolean)[] | undefined>>;
  /** Positional arguments after the command name. */
  readonly positionals: readonly string[];
  readonly json: boolean;
  /** Human-readable output (suppressed under --json). */
  readonly print: (line: string) => void;
  /** Warnings to stderr, shown in both modes. */
  readonly warn: (line: string) => void;
}

/**
 * One CLI command. `name` may have several words (`ca init`). run() returns the result object
 * printed under --json; it throws GongjikError on failure.
 */
export interface Command {
  readonly name: string;
  readonly summary: string;
  readonly usage?: string;
  readonly options?: Readonly<Record<string, OptionSpec>>;
  /** Keep running after run() resolves (servers). */
  readonly longRunning?: boolean;
  run(ctx: CommandContext): Promise<unknown>;
}

export function defineCommand(command: Command): Command {
  return command;
}

/** Reads a required string option or throws ERR_CLI_USAGE. */
export function requireString(ctx: CommandContext, name: string): string {
  const value = ctx.values[name];
  if (typeof value !== 'string' || value === '') {
    throw new GongjikError('ERR_CLI_USAGE', { problem: `--${name} is required` });
  }
  return value;
}

/** Reads an optional string option. */
export function optionalString(ctx: CommandContext, name: string): string | undefined {
  const value = ctx.values[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}
