import type { LogPosition } from '../../event-log/event-envelope.js';
import { encodeIdentityEnvelope, type IdentityEnvelope } from '../../event-log/identity-envelope.js';
import type { KafkaEventLog } from '../../messaging/kafka-event.log.js';

/** How the identity writer reaches its topic (one partition: one total order of identity facts). */
export abstract class IdentityEventLog {
  abstract append(envelopes: IdentityEnvelope[]): Promise<LogPosition[]>;
  /** The next offset to be written on the identity topic's partition 0. */
  abstract endOffset(): Promise<number>;
}

export class KafkaIdentityEventLog extends IdentityEventLog {
  constructor(private readonly log: KafkaEventLog) {
    super();
  }

  connect(): Promise<void> {
    return this.log.connect();
  }

  disconnect(): Promise<void> {
    return this.log.disconnect();
  }

  append(envelopes: IdentityEnvelope[]): Promise<LogPosition[]> {
    return this.log.appendRecords(envelopes.map(encodeIdentityEnvelope));
  }

  async endOffset(): Promise<number> {
    return (await this.log.endOffsets()).get(0) ?? 0;
  }
}
