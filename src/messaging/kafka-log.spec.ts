import { logLevel } from 'kafkajs';
import { EXPECTED_AT_BOOT_BUDGET, isCoordinatorWarmingUp, KafkaLogRouter } from './kafka-log.js';

// Entries as kafkajs 2.2.4 logs them when Sediment boots against a broker started moments ago
// (a freshly formatted single node: __consumer_offsets and the transaction log still loading).
const ts = { timestamp: '2026-12-06T23:39:52.612Z', logger: 'kafkajs' };
const LOADING = "The coordinator is loading and hence can't process requests for this group";
const GROUP = 'sediment.projection.identity.e2e.adf51f5e';

const groupCoordinatorNotAvailable = {
  namespace: 'Connection',
  level: logLevel.ERROR,
  log: {
    ...ts,
    message: 'Response GroupCoordinator(key: 10, version: 2)',
    broker: '127.0.0.1:29092',
    clientId: 'sediment',
    error: 'The group coordinator is not available',
    correlationId: 11,
    size: 55,
  },
};
const initProducerIdLoading = {
  namespace: 'Connection',
  level: logLevel.ERROR,
  log: { ...ts, message: 'Response InitProducerId(key: 22, version: 1)', broker: '127.0.0.1:29092', clientId: 'sediment', error: LOADING, correlationId: 2, size: 20 },
};
const crashLoading = {
  namespace: 'Consumer',
  level: logLevel.ERROR,
  log: { ...ts, message: `Crash: KafkaJSProtocolError: ${LOADING}`, groupId: GROUP, stack: 'KafkaJSProtocolError: …' },
};
const restarting = {
  namespace: 'Consumer',
  level: logLevel.ERROR,
  log: { ...ts, message: 'Restarting the consumer in 200ms', retryTime: 200, groupId: GROUP },
};
const boundedRetries = {
  namespace: 'Producer',
  level: logLevel.WARN,
  log: { ...ts, message: 'Limiting retries for the idempotent producer may invalidate EoS guarantees' },
};

describe('KafkaLogRouter', () => {
  it('sends what a healthy boot meets to debug: coordinators still loading (retried by kafkajs) and the bounded-retries note', () => {
    const router = new KafkaLogRouter();
    for (const entry of [groupCoordinatorNotAvailable, initProducerIdLoading, initProducerIdLoading, crashLoading, restarting, boundedRetries]) {
      expect(router.route(entry).level).toBe('debug');
    }
  });

  it('keeps the level and the facts of everything else', () => {
    const router = new KafkaLogRouter();
    const refused = {
      namespace: 'Connection',
      level: logLevel.ERROR,
      log: { ...ts, message: 'Response CreateTopics(key: 19, version: 3)', broker: 'b:9092', error: 'Topic authorization failed' },
    };
    expect(router.route(refused)).toEqual({
      level: 'error',
      line: 'Connection: Response CreateTopics(key: 19, version: 3) {"broker":"b:9092","error":"Topic authorization failed"}',
    });
    const crash = { namespace: 'Consumer', level: logLevel.ERROR, log: { ...ts, message: 'Crash: KafkaJSNonRetriableError: Offset out of range', groupId: GROUP } };
    expect(router.route(crash).level).toBe('error');
    // This restart follows a crash that was not a coordinator warming up: it shows.
    expect(router.route(restarting).level).toBe('error');
    const rebalancing = { namespace: 'Runner', level: logLevel.WARN, log: { ...ts, message: 'The group is rebalancing, re-joining', groupId: GROUP } };
    expect(router.route(rebalancing).level).toBe('warn');
    const info = { namespace: 'Consumer', level: logLevel.INFO, log: { ...ts, message: 'Starting', groupId: GROUP } };
    expect(router.route(info).level).toBe('log');
  });

  it('demotes a coordinator error only for the requests kafkajs retries on it', () => {
    const router = new KafkaLogRouter();
    const produce = { ...initProducerIdLoading, log: { ...initProducerIdLoading.log, message: 'Response Produce(key: 0, version: 7)' } };
    expect(router.route(produce).level).toBe('error');
  });

  it(`shows a condition that persists: past ${EXPECTED_AT_BOOT_BUDGET} times it is logged at its own level, saying so`, () => {
    const router = new KafkaLogRouter();
    for (let i = 0; i < EXPECTED_AT_BOOT_BUDGET; i++) expect(router.route(initProducerIdLoading).level).toBe('debug');
    const routed = router.route(initProducerIdLoading);
    expect(routed.level).toBe('error');
    expect(routed.line).toMatch(/still failing after 11 attempts\)$/);
    // Another condition has a budget of its own.
    expect(router.route(groupCoordinatorNotAvailable).level).toBe('debug');
  });

  it('recognises the warming-up errors by their kafkajs messages', () => {
    expect(isCoordinatorWarmingUp(LOADING)).toBe(true);
    expect(isCoordinatorWarmingUp(new Error('The group coordinator is not available'))).toBe(true);
    expect(isCoordinatorWarmingUp(new Error('Consumer group was not initialized, consumer#run must be called first'))).toBe(false);
    expect(isCoordinatorWarmingUp(undefined)).toBe(false);
  });
});
