import type { Command } from './command.ts';
import { adminCommands } from './commands/admin.ts';
import { authCommands } from './commands/auth.ts';
import { caCommands } from './commands/ca.ts';
import { certCommands } from './commands/cert.ts';
import { dkimCommands } from './commands/dkim.ts';
import { errorsCommand } from './commands/errors.ts';
import { gateCommands } from './commands/gate.ts';
import { idCommands } from './commands/id.ts';
import { mailCommands } from './commands/mail.ts';
import { oidcCommands } from './commands/oidc.ts';
import { signCommands } from './commands/sign.ts';
import { startCommand } from './commands/start.ts';
import { walletCommands } from './commands/wallet.ts';

/** Every command of the CLI, in the order --help lists them. Areas append their own. */
export const commands: Command[] = [
  startCommand,
  ...adminCommands,
  ...oidcCommands,
  ...authCommands,
  ...dkimCommands,
  ...mailCommands,
  ...caCommands,
  ...certCommands,
  ...idCommands,
  ...walletCommands,
  ...gateCommands,
  ...signCommands,
  errorsCommand,
];
