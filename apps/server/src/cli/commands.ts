import type { Command } from './command.ts';
import { caCommands } from './commands/ca.ts';
import { certCommands } from './commands/cert.ts';
import { errorsCommand } from './commands/errors.ts';

/** Every command of the CLI, in the order --help lists them. Areas append their own. */
export const commands: Command[] = [errorsCommand, ...caCommands, ...certCommands];
