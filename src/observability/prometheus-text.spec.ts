import { Counter, escapeLabelValue, formatValue, Histogram, renderMetrics } from './prometheus-text.js';

describe('Prometheus text exposition (0.0.4)', () => {
  it('escapes backslash, double quote and newline in label values, nothing else', () => {
    expect(escapeLabelValue('a\\b"c\nd')).toBe('a\\\\b\\"c\\nd');
    expect(escapeLabelValue("it's {fine}, = ok")).toBe("it's {fine}, = ok");
  });

  it('renders HELP and TYPE lines, then the samples with their labels in declared order', () => {
    const counter = new Counter('sediment_things_total', 'Things.\nCounted with a \\ backslash.', ['operation', 'status']);
    counter.inc({ status: '200', operation: 'PutObject' });
    counter.inc({ operation: 'PutObject', status: '200' }, 2);
    counter.inc({ operation: 'reason "quoted"\nnext line', status: '503' });
    expect(renderMetrics([counter.family()])).toBe(
      [
        '# HELP sediment_things_total Things.\\nCounted with a \\\\ backslash.',
        '# TYPE sediment_things_total counter',
        'sediment_things_total{operation="PutObject",status="200"} 3',
        'sediment_things_total{operation="reason \\"quoted\\"\\nnext line",status="503"} 1',
        '',
      ].join('\n'),
    );
  });

  it('renders a family without samples as its HELP and TYPE only, and a sample without labels bare', () => {
    const text = renderMetrics([
      { name: 'a_gauge', help: 'A.', type: 'gauge', samples: [] },
      { name: 'b_gauge', help: 'B.', type: 'gauge', samples: [{ labels: {}, value: 0.25 }] },
    ]);
    expect(text).toBe('# HELP a_gauge A.\n# TYPE a_gauge gauge\n# HELP b_gauge B.\n# TYPE b_gauge gauge\nb_gauge 0.25\n');
  });

  it('formats special values as Prometheus spells them', () => {
    expect([NaN, Infinity, -Infinity, 0, 42, 1e-7].map(formatValue)).toEqual(['NaN', '+Inf', '-Inf', '0', '42', '1e-7']);
  });

  it('renders histogram buckets cumulatively, with +Inf, _sum and _count per series', () => {
    const histogram = new Histogram('req_seconds', 'Latency.', ['operation'], [0.1, 0.005, 1]);
    for (const seconds of [0.005, 0.003, 0.05, 0.1, 0.7, 3]) histogram.observe({ operation: 'GetObject' }, seconds);
    histogram.observe({ operation: 'HeadObject' }, 0.02);
    const lines = renderMetrics([histogram.family()]).trimEnd().split('\n');
    expect(lines).toEqual([
      '# HELP req_seconds Latency.',
      '# TYPE req_seconds histogram',
      'req_seconds_bucket{operation="GetObject",le="0.005"} 2', // a value equal to a bound is in that bucket
      'req_seconds_bucket{operation="GetObject",le="0.1"} 4',
      'req_seconds_bucket{operation="GetObject",le="1"} 5',
      'req_seconds_bucket{operation="GetObject",le="+Inf"} 6',
      expect.stringMatching(/^req_seconds_sum\{operation="GetObject"\} 3\.858\d*$/),
      'req_seconds_count{operation="GetObject"} 6',
      'req_seconds_bucket{operation="HeadObject",le="0.005"} 0',
      'req_seconds_bucket{operation="HeadObject",le="0.1"} 1',
      'req_seconds_bucket{operation="HeadObject",le="1"} 1',
      'req_seconds_bucket{operation="HeadObject",le="+Inf"} 1',
      'req_seconds_sum{operation="HeadObject"} 0.02',
      'req_seconds_count{operation="HeadObject"} 1',
    ]);
  });

  it('refuses "le" as a histogram label name', () => {
    expect(() => new Histogram('h', 'H.', ['le'], [1])).toThrow(/le/);
  });
});
