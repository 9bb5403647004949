import { parseQuarantineArgs } from './quarantine-event.command.js';

describe('sediment quarantine-event', () => {
  it('needs a topic, a partition, an offset and a one-line reason', () => {
    const base = ['--topic', 't', '--partition', '2', '--offset', '17'];
    expect(parseQuarantineArgs([...base, '--reason', 'foreign producer'])).toEqual({ topic: 't', partition: 2, offset: 17, reason: 'foreign producer' });
    expect(parseQuarantineArgs(base)).toEqual({ error: '--reason is required: say why, for whoever reads the log later' });
    expect(parseQuarantineArgs([...base, '--reason', ''])).toEqual({ error: '--reason: the reason is empty' });
    expect(parseQuarantineArgs([...base, '--reason', 'a\nb'])).toEqual({ error: '--reason: the reason contains control characters' });
    expect(parseQuarantineArgs(['--partition', '2', '--offset', '17', '--reason', 'x'])).toEqual({ error: '--topic is required' });
    expect(parseQuarantineArgs(['--topic', 't', '--partition', 'x', '--offset', '1', '--reason', 'x'])).toEqual({ error: '--partition must be a non-negative integer' });
    expect(parseQuarantineArgs(['--topic', 't', '--partition', '1', '--reason', 'x'])).toEqual({ error: '--offset must be a non-negative integer' });
    expect(parseQuarantineArgs(['--bogus'])).toHaveProperty('error');
    expect(parseQuarantineArgs(['--help'])).toEqual({ help: true });
  });
});
