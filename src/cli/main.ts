#!/usr/bin/env node
import 'reflect-metadata';
import { ConfigError } from '../config/sediment.config.js';
import { CLI_COMMANDS } from './commands.js';

/**
 * `sediment <command> [options]`: the operator's tools. Each command reads the same
 * configuration as the service (environment variables, README "Configuration").
 */
async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  const command = name === undefined ? undefined : CLI_COMMANDS[name];
  if (!command) {
    console.error(`usage: sediment <command> [options]\n\ncommands:\n${Object.entries(CLI_COMMANDS)
      .map(([n, c]) => `  ${n.padEnd(16)}${c.summary}`)
      .join('\n')}`);
    return name === undefined || name === '--help' ? 0 : 64;
  }
  return command.run(args);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(error instanceof ConfigError ? 78 : 1);
  },
);
