import { Logger } from '@nestjs/common';
import { Kafka, logLevel, type LogEntry } from 'kafkajs';
import type { SedimentConfig } from '../config/sediment.config.js';

const logger = new Logger('kafkajs');

/** One kafkajs client per process; its log lines go through Nest's logger. */
export function createKafka(config: SedimentConfig): Kafka {
  return new Kafka({
    clientId: config.KAFKA_CLIENT_ID,
    brokers: config.KAFKA_BROKERS.split(','),
    logLevel: config.SEDIMENT_LOG_LEVEL === 'debug' ? logLevel.INFO : logLevel.WARN,
    logCreator:
      () =>
      ({ level, log }: LogEntry) => {
        const { message, ...extra } = log;
        const line = `${message} ${JSON.stringify(extra)}`;
        if (level === logLevel.ERROR) logger.error(line);
        else if (level === logLevel.WARN) logger.warn(line);
        else logger.log(line);
      },
    retry: { retries: 8, initialRetryTime: 200 },
  });
}
