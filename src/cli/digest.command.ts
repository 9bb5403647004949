import { parseArgs } from 'node:util';
import { activeReadModel } from '../replay/read-model.control.js';
import { digestReadModel } from '../replay/read-model.digest.js';
import type { CliCommand } from './cli-command.js';
import { openOperatorContext } from './operator.context.js';
import { countsText } from './replay.command.js';

export const digestCommand: CliCommand = {
  summary: 'print the deterministic digest of a read model (default: the live one)',
  async run(args) {
    const { values } = parseArgs({ args, options: { database: { type: 'string' } } });
    const ctx = await openOperatorContext();
    try {
      const database = values.database ?? (await activeReadModel(ctx.home));
      const { digest, counts } = await digestReadModel(ctx.client.db(database));
      console.log(`${database} ${digest} ${countsText(counts)}`);
      return 0;
    } finally {
      await ctx.close();
    }
  },
};

export const dropReadModelCommand: CliCommand = {
  summary: 'drop a read model database kept by a replay (never the live one)',
  async run(args) {
    const { values } = parseArgs({ args, options: { database: { type: 'string' } } });
    if (!values.database) {
      console.error('usage: sediment drop-read-model --database <name>');
      return 64;
    }
    const ctx = await openOperatorContext();
    try {
      if (values.database === (await activeReadModel(ctx.home)) || values.database === ctx.config.MONGO_DATABASE) {
        console.error(`${values.database} is the live read model or holds the control documents; it is not dropped.`);
        return 65;
      }
      await ctx.client.db(values.database).dropDatabase();
      console.log(`dropped ${values.database}`);
      return 0;
    } finally {
      await ctx.close();
    }
  },
};
