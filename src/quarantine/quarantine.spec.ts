import { jest } from '@jest/globals';
import { Binary } from 'mongodb';
import { PoisonEventError } from '../event-log/event-envelope.js';
import { decodeControlRecord, encodeControlEnvelope, quarantineEnvelope, reasonProblem, type EventQuarantined } from './quarantine.events.js';
import { decisionMatches, QuarantineList, valueSha256 } from './quarantine-list.js';
import { quarantinedDocument } from './quarantined-events.store.js';

const principal = { accessKeyId: 'ROOT', arn: 'arn:aws:iam::000000000000:root' };
const data: EventQuarantined['data'] = {
  topic: 'sediment.bucket-events.v1',
  partition: 7,
  offset: 1042,
  valueSha256: valueSha256(Buffer.from('{"type": garbage')),
  reason: 'a foreign producer (OPS-123)',
  operator: 'ops@host',
};
const at = new Date('2026-03-01T09:30:00.000Z');
const record = (d: object = data, id = '0b6c3c52-2f0e-4d1b-8c55-3e7f2a9d4b61') =>
  encodeControlEnvelope(quarantineEnvelope(d as EventQuarantined['data'], id, at, principal));

describe('EventQuarantined on the control topic', () => {
  it('is keyed by the position it names, with the CloudEvents headers of every event, and decodes back', () => {
    const out = record();
    expect(out.key).toBe('sediment.bucket-events.v1/7/1042');
    expect(out.headers).toMatchObject({ ce_type: 'EventQuarantined', ce_subject: 'sediment.bucket-events.v1/7/1042', ce_dataschemaversion: '1' });
    const decoded = decodeControlRecord(out.value, { partition: 0, offset: 3 });
    expect(decoded).toEqual({ envelope: JSON.parse(out.value), position: { partition: 0, offset: 3 } });
  });

  it.each([
    ['not JSON', '{', 'record is not JSON'],
    ['another type', JSON.stringify({ ...JSON.parse(record().value), type: 'EventForgiven' }), 'unknown event type "EventForgiven"'],
    ['a negative offset', record({ ...data, offset: -1 }).value, 'malformed EventQuarantined decision'],
    ['a bad topic name', record({ ...data, topic: 'a/b' }).value, 'malformed EventQuarantined decision'],
    ['a hash that is no SHA-256', record({ ...data, valueSha256: 'abc' }).value, 'malformed EventQuarantined decision'],
    ['a reason with a NUL', record({ ...data, reason: 'x\u0000' }).value, 'EventQuarantined cannot be stored: data.reason contains U+0000 (NUL)'],
    ['a reason with another control character', record({ ...data, reason: 'x\u0007' }).value, 'malformed EventQuarantined decision'],
    ['a subject naming another position', JSON.stringify({ ...JSON.parse(record().value), subject: 'sediment.bucket-events.v1/7/1' }), 'malformed EventQuarantined decision'],
  ])('refuses %s: a malformed decision decides nothing', (_name, value, reason) => {
    expect(() => decodeControlRecord(value, { partition: 0, offset: 0 })).toThrow(new PoisonEventError(reason, { partition: 0, offset: 0 }));
  });

  it('takes any reason an operator can type on one line, up to 1024 characters', () => {
    expect(reasonProblem('foreign producer, see OPS-123 — ünïcode ok')).toBeUndefined();
    expect(reasonProblem(' ')).toBe('the reason is empty');
    expect(reasonProblem('x'.repeat(1025))).toBe('the reason is longer than 1024 characters');
    expect(reasonProblem('two\nlines')).toBe('the reason contains control characters');
  });
});

describe('QuarantineList', () => {
  it('finds a decision by position; the first about a position counts; listeners hear each new one', () => {
    const list = new QuarantineList();
    const heard = jest.fn();
    list.onDecision(heard);
    const first = list.add(decodeControlRecord(record().value, { partition: 0, offset: 0 }));
    const again = list.add(decodeControlRecord(record(data, '1b6c3c52-2f0e-4d1b-8c55-3e7f2a9d4b61').value, { partition: 0, offset: 1 }));
    expect(again).toBe(first);
    expect(heard).toHaveBeenCalledTimes(1);
    const { operator: _who, ...named } = data;
    expect(list.find('sediment.bucket-events.v1', 7, 1042)).toEqual({
      ...named,
      decisionId: '0b6c3c52-2f0e-4d1b-8c55-3e7f2a9d4b61',
      decidedAt: '2026-03-01T09:30:00.000Z',
      controlOffset: 0,
    });
    expect(list.find('sediment.bucket-events.v1', 7, 1043)).toBeUndefined();
    expect(list.find('sediment.identity-events.v1', 7, 1042)).toBeUndefined();
  });

  it('applies a decision only to the bytes it was made about', () => {
    const decision = new QuarantineList().add(decodeControlRecord(record().value, { partition: 0, offset: 0 }));
    expect(decisionMatches(decision, Buffer.from('{"type": garbage'))).toBe(true);
    expect(decisionMatches(decision, Buffer.from('{"type": garbage!'))).toBe(false);
    expect(decisionMatches(decision, null)).toBe(false);
    expect(decisionMatches({ ...decision, valueSha256: null }, null)).toBe(true);
  });
});

describe('a quarantined record kept in the read model', () => {
  it('keeps key, value and headers as bytes, so a NUL or invalid UTF-8 is stored as it is', () => {
    const decision = new QuarantineList().add(decodeControlRecord(record().value, { partition: 0, offset: 5 }));
    const doc = quarantinedDocument(
      {
        topic: 'sediment.bucket-events.v1',
        partition: 7,
        offset: 1042,
        key: Buffer.from('pho\u0000tos'),
        value: Buffer.from([0xff, 0x00, 0x7b]),
        headers: [{ name: 'ce_type', value: Buffer.from('Object\u0000Stored') }],
        timestamp: '1767225600000',
      },
      decision,
    );
    expect(doc).toEqual({
      _id: 'sediment.bucket-events.v1/7/1042',
      topic: 'sediment.bucket-events.v1',
      partition: 7,
      offset: 1042,
      key: new Binary(Buffer.from('pho\u0000tos')),
      value: new Binary(Buffer.from([0xff, 0x00, 0x7b])),
      headers: [{ name: new Binary(Buffer.from('ce_type')), value: new Binary(Buffer.from('Object\u0000Stored')) }],
      timestamp: '1767225600000',
      reason: 'a foreign producer (OPS-123)',
      decisionId: '0b6c3c52-2f0e-4d1b-8c55-3e7f2a9d4b61',
      decidedAt: '2026-03-01T09:30:00.000Z',
      controlOffset: 5,
    });
    // Nothing in it is a string built from the record's bytes.
    expect(JSON.stringify(doc)).not.toContain('\\u0000');
  });
});
