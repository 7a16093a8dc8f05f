import type { Command } from './command.ts';
import { adminCommands } from './commands/admin.ts';
import { errorsCommand } from './commands/errors.ts';
import { startCommand } from './commands/start.ts';

/** Every command of the CLI, in the order --help lists them. Areas append their own. */
export const commands: Command[] = [errorsCommand, startCommand, ...adminCommands];
