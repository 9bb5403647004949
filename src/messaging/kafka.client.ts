import { Logger } from '@nestjs/common';
import { Kafka, logLevel } from 'kafkajs';
import type { SedimentConfig } from '../config/sediment.config.js';
import { KafkaLogRouter } from './kafka-log.js';

const logger = new Logger('kafkajs');

/**
 * One kafkajs client per process. Its log lines go through Nest's logger at their own level,
 * but for the conditions a healthy boot meets, which go to debug (KafkaLogRouter).
 */
export function createKafka(config: SedimentConfig): Kafka {
  const router = new KafkaLogRouter();
  return new Kafka({
    clientId: config.KAFKA_CLIENT_ID,
    brokers: config.KAFKA_BROKERS.split(','),
    logLevel: config.SEDIMENT_LOG_LEVEL === 'debug' ? logLevel.INFO : logLevel.WARN,
    logCreator: () => (entry) => {
      const { level, line } = router.route(entry);
      logger[level](line);
    },
    retry: { retries: 8, initialRetryTime: 200 },
  });
}
