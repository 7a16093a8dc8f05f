import { parseArgs } from 'node:util';
import { formatMessage, GongjikError, toGongjikError } from '@gongjik/errors';
import type { Command, CommandContext, OptionSpec } from './command.ts';
import { commands } from './commands.ts';

const globalOptions: Record<string, OptionSpec> = {
  json: { type: 'boolean', description: 'machine-readable JSON output' },
  help: { type: 'boolean', short: 'h', description: 'show help' },
};

/** Finds the command whose (multi-word) name is the longest prefix of the arguments. */
function findCommand(argv: readonly string[]): { command: Command; rest: string[] } | undefined {
  const words = argv.filter((a) => !a.startsWith('-'));
  let best: Command | undefined;
  for (const command of commands) {
    const parts = command.name.split(' ');
    if (parts.every((p, i) => words[i] === p) && (!best || parts.length > best.name.split(' ').length)) {
      best = command;
    }
  }
  if (!best) return undefined;
  // Remove the command words (first occurrences, in order) from argv.
  const rest = [...argv];
  for (const part of best.name.split(' ')) rest.splice(rest.indexOf(part), 1);
  return { command: best, rest };
}

function optionLines(options: Record<string, OptionSpec>): string[] {
  return Object.entries(options).map(([name, spec]) => {
    const flag = `--${name}${spec.type === 'string' ? ' <value>' : ''}`;
    return `  ${flag.padEnd(28)} ${spec.description}`;
  });
}

export function helpText(command?: Command): string {
  if (command) {
    return [
      `gongjik ${command.usage ?? command.name}`,
      '',
      command.summary,
      '',
      'Options:',
      ...optionLines({ ...command.options, ...globalOptions }),
    ].join('\n');
  }
  const width = Math.max(...commands.map((c) => c.name.length), 10) + 2;
  return [
    'gongjik — the Gongjik server and tools',
    '',
    'Usage: gongjik <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)} ${c.summary}`),
    '',
    'Every command takes --json for machine output and exits non-zero with the error code on failure.',
    'Run gongjik <command> --help for its options.',
  ].join('\n');
}

function printError(err: GongjikError, json: boolean): void {
  if (json) {
    process.stdout.write(`${JSON.stringify({ ok: false, error: err.toJSON() })}\n`);
  } else {
    process.stderr.write(`error ${err.code}: ${formatMessage(err.code, 'en', err.details)}\n`);
    process.stderr.write(`       ${formatMessage(err.code, 'ko', err.details)}\n`);
    if (err.code === 'ERR_SERVER_INTERNAL' && err.cause && process.env.GONGJIK_DEBUG)
      console.error(err.cause);
  }
}

/** Runs the CLI and returns the process exit code (0 success, 1 refused/failed, 2 usage). */
export async function main(argv: readonly string[]): Promise<number> {
  const json = argv.includes('--json');
  const found = findCommand(argv);
  if (!found) {
    const first = argv.find((a) => !a.startsWith('-'));
    if (!first) {
      process.stdout.write(`${helpText()}\n`);
      return argv.includes('--help') || argv.includes('-h') ? 0 : 2;
    }
    printError(new GongjikError('ERR_CLI_UNKNOWN_COMMAND', { command: first }), json);
    return 2;
  }
  const { command, rest } = found;
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: rest,
      options: { ...command.options, ...globalOptions },
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    printError(new GongjikError('ERR_CLI_USAGE', { problem: (err as Error).message }), json);
    return 2;
  }
  if (parsed.values.help) {
    process.stdout.write(`${helpText(command)}\n`);
    return 0;
  }
  const ctx: CommandContext = {
    values: parsed.values,
    positionals: parsed.positionals,
    json,
    print: (line) => {
      if (!json) process.stdout.write(`${line}\n`);
    },
    warn: (line) => process.stderr.write(`${line}\n`),
  };
  try {
    const result = await command.run(ctx);
    if (json && result !== undefined)
      process.stdout.write(`${JSON.stringify({ ok: true, ...(result as object) })}\n`);
    return 0;
  } catch (err) {
    const gerr = toGongjikError(err);
    printError(gerr, json);
    return gerr.code === 'ERR_CLI_USAGE' ? 2 : 1;
  }
}
