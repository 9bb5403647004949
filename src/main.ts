import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { assertNoPublishedCredentials } from './config/default-credentials.js';
import { ConfigError, loadConfig } from './config/sediment.config.js';
import { createSedimentApp } from './app/create-app.js';
import { NODE_FLAGS, startedWithNodeFlags } from './node-flags.js';

async function bootstrap(): Promise<void> {
  let config;
  let warning: string | undefined;
  try {
    config = loadConfig(process.env);
    warning = assertNoPublishedCredentials(config);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  if (warning) new Logger('Config').warn(warning);
  if (!startedWithNodeFlags()) {
    new Logger('Sediment').warn(`started without ${NODE_FLAGS.join(' ')}: large payloads stream slower and in more memory (npm start passes it)`);
  }
  const app = await createSedimentApp(config);
  await app.listen(config.SEDIMENT_PORT, config.SEDIMENT_HOST);
  new Logger('Sediment').log(`S3 API listening on http://${config.SEDIMENT_HOST}:${config.SEDIMENT_PORT}`);
}

void bootstrap().catch((error: unknown) => {
  // A setting that only proves wrong against stored state (a changed master key) is still a config error.
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(78);
  }
  console.error('Sediment failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
