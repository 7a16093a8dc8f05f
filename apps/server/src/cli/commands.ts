import type { Command } from './command.ts';
import { adminCommands } from './commands/admin.ts';
import { caCommands } from './commands/ca.ts';
import { certCommands } from './commands/cert.ts';
import { errorsCommand } from './commands/errors.ts';
import { idCommands } from './commands/id.ts';
import { startCommand } from './commands/start.ts';
import { walletCommands } from './commands/wallet.ts';

/** Every command of the CLI, in the order --help lists them. Areas append their own. */
export const commands: Command[] = [
  startCommand,
  ...adminCommands,
  ...caCommands,
  ...certCommands,
  ...idCommands,
  ...walletCommands,
  errorsCommand,
];
