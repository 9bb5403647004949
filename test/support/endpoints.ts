/** Where the tests' real dependencies listen (scripts/infra.sh defaults); a module of its own so helpers can share it without import cycles. */
export const KAFKA_BROKERS = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';
export const MONGO_URL = process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017';
