import { accountCommand } from './account.command.js';
import { digestCommand, dropReadModelCommand } from './digest.command.js';
import { inspectEventCommand } from './inspect-event.command.js';
import { quarantineEventCommand } from './quarantine-event.command.js';
import { replayCommand } from './replay.command.js';
import type { CliCommand } from './cli-command.js';


/** The closed list of commands of the `sediment` CLI. */
export const CLI_COMMANDS: Record<string, CliCommand> = {
  account: accountCommand,
  replay: replayCommand,
  digest: digestCommand,
  'drop-read-model': dropReadModelCommand,
  'inspect-event': inspectEventCommand,
  'quarantine-event': quarantineEventCommand,
};
