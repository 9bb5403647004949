/**
 * Prometheus text exposition format 0.0.4, by hand: a few counters, gauges and one histogram do
 * not justify a client library, and the format is small and stable.
 * https://prometheus.io/docs/instrumenting/exposition_formats/
 */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export type Labels = Readonly<Record<string, string | number>>;

export interface Sample {
  /** Appended to the family name: `_bucket`, `_sum`, `_count` for a histogram. */
  suffix?: string;
  labels: Labels;
  value: number;
}

export interface MetricFamily {
  name: string;
  help: string;
  type: 'counter' | 'gauge' | 'histogram';
  samples: readonly Sample[];
}

export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

export function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

function formatLabels(labels: Labels): string {
  const pairs = Object.entries(labels).map(([name, value]) => `${name}="${escapeLabelValue(String(value))}"`);
  return pairs.length === 0 ? '' : `{${pairs.join(',')}}`;
}

/** The whole exposition: one HELP and TYPE line per family, then its samples; ends with a newline. */
export function renderMetrics(families: readonly MetricFamily[]): string {
  const lines: string[] = [];
  for (const family of families) {
    lines.push(`# HELP ${family.name} ${escapeHelp(family.help)}`, `# TYPE ${family.name} ${family.type}`);
    for (const sample of family.samples) {
      lines.push(`${family.name}${sample.suffix ?? ''}${formatLabels(sample.labels)} ${formatValue(sample.value)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Series keyed by their label values, in the order the label names were declared. */
class Series<T> {
  private readonly byKey = new Map<string, { labels: Labels; state: T }>();

  constructor(
    private readonly labelNames: readonly string[],
    private readonly create: () => T,
  ) {}

  get(labels: Labels): T {
    const values = this.labelNames.map((name) => String(labels[name] ?? ''));
    const key = JSON.stringify(values);
    let entry = this.byKey.get(key);
    if (!entry) {
      entry = { labels: Object.fromEntries(this.labelNames.map((name, i) => [name, values[i]!])), state: this.create() };
      this.byKey.set(key, entry);
    }
    return entry.state;
  }

  entries(): Array<{ labels: Labels; state: T }> {
    return [...this.byKey.values()];
  }
}

export class Counter {
  private readonly series: Series<{ value: number }>;

  constructor(
    readonly name: string,
    readonly help: string,
    labelNames: readonly string[],
  ) {
    this.series = new Series(labelNames, () => ({ value: 0 }));
  }

  inc(labels: Labels, by = 1): void {
    this.series.get(labels).value += by;
  }

  family(): MetricFamily {
    return {
      name: this.name,
      help: this.help,
      type: 'counter',
      samples: this.series.entries().map(({ labels, state }) => ({ labels, value: state.value })),
    };
  }
}

interface HistogramState {
  /** Observations per bucket (not cumulative); the last slot is above the highest bound. */
  counts: number[];
  sum: number;
  count: number;
}

export class Histogram {
  private readonly series: Series<HistogramState>;
  private readonly bounds: readonly number[];

  constructor(
    readonly name: string,
    readonly help: string,
    labelNames: readonly string[],
    bounds: readonly number[],
  ) {
    if (labelNames.includes('le')) throw new Error(`${name}: "le" is reserved for histogram buckets`);
    this.bounds = [...bounds].sort((a, b) => a - b);
    this.series = new Series(labelNames, () => ({ counts: new Array<number>(this.bounds.length + 1).fill(0), sum: 0, count: 0 }));
  }

  observe(labels: Labels, value: number): void {
    const state = this.series.get(labels);
    const index = this.bounds.findIndex((bound) => value <= bound);
    state.counts[index < 0 ? this.bounds.length : index]! += 1;
    state.sum += value;
    state.count += 1;
  }

  family(): MetricFamily {
    const samples: Sample[] = [];
    for (const { labels, state } of this.series.entries()) {
      let cumulative = 0;
      this.bounds.forEach((bound, i) => {
        cumulative += state.counts[i]!;
        samples.push({ suffix: '_bucket', labels: { ...labels, le: formatValue(bound) }, value: cumulative });
      });
      samples.push({ suffix: '_bucket', labels: { ...labels, le: '+Inf' }, value: state.count });
      samples.push({ suffix: '_sum', labels, value: state.sum });
      samples.push({ suffix: '_count', labels, value: state.count });
    }
    return { name: this.name, help: this.help, type: 'histogram', samples };
  }
}
