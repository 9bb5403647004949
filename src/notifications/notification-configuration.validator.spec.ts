import { S3Error } from '../errors/s3.error.js';
import {
  normaliseNotificationConfiguration,
  type RequestedTopicConfiguration,
} from './notification-configuration.validator.js';

const context = { region: 'us-east-1', newId: () => 'generated-id', reservedTopics: new Set(['sediment.bucket-events.v1']) };
const arn = (topic = 'orders', region = 'us-east-1') => `arn:aws:sns:${region}:000000000000:${topic}`;
const topicConfig = (over: Partial<RequestedTopicConfiguration> = {}): RequestedTopicConfiguration => ({
  topicArn: arn(),
  events: ['s3:ObjectCreated:*'],
  filterRules: [],
  ...over,
});

function refusal(...configs: RequestedTopicConfiguration[]): S3Error {
  try {
    normaliseNotificationConfiguration({ topicConfigurations: configs }, context);
  } catch (error) {
    if (error instanceof S3Error) return error;
    throw error;
  }
  throw new Error('accepted, expected a refusal');
}

describe('normaliseNotificationConfiguration', () => {
  it('fills in a missing id, keeps a given one and turns filter rules into {prefix, suffix}', () => {
    const normalised = normaliseNotificationConfiguration(
      {
        topicConfigurations: [
          topicConfig({ filterRules: [{ name: 'Suffix', value: '.jpg' }, { name: 'prefix', value: 'images/' }] }),
          topicConfig({ id: 'deletes', events: ['s3:ObjectRemoved:Delete'] }),
        ],
      },
      context,
    );
    expect(normalised).toEqual({
      topicConfigurations: [
        { id: 'generated-id', topicArn: arn(), events: ['s3:ObjectCreated:*'], filter: { prefix: 'images/', suffix: '.jpg' } },
        { id: 'deletes', topicArn: arn(), events: ['s3:ObjectRemoved:Delete'] },
      ],
    });
    // Member order is fixed whatever the rule order, so equal configurations serialise equally.
    expect(JSON.stringify(normalised.topicConfigurations[0]!.filter)).toBe('{"prefix":"images/","suffix":".jpg"}');
  });

  it('accepts an empty configuration (removes the bucket\'s)', () => {
    expect(normaliseNotificationConfiguration({ topicConfigurations: [] }, context)).toEqual({ topicConfigurations: [] });
  });

  it('accepts configurations whose events overlap when their filters cannot both match', () => {
    expect(() =>
      normaliseNotificationConfiguration(
        {
          topicConfigurations: [
            topicConfig({ id: 'a', filterRules: [{ name: 'prefix', value: 'images/' }] }),
            topicConfig({ id: 'b', filterRules: [{ name: 'prefix', value: 'docs/' }] }),
            topicConfig({ id: 'c', events: ['s3:ObjectRemoved:*'] }),
          ],
        },
        context,
      ),
    ).not.toThrow();
  });

  it.each<[string, RequestedTopicConfiguration[], string, Record<string, string>?]>([
    ['an unknown event', [topicConfig({ events: ['s3:ObjectCreated:Teleport'] })], 'The event is not supported for notifications',
      { ArgumentName: 'Event', ArgumentValue: 's3:ObjectCreated:Teleport' }],
    ['an event without the s3: prefix', [topicConfig({ events: ['ObjectCreated:*'] })], 'The event is not supported for notifications'],
    ['a rule name other than prefix/suffix', [topicConfig({ filterRules: [{ name: 'infix', value: 'x' }] })],
      'filter rule name must be either prefix or suffix'],
    ['two prefix rules', [topicConfig({ filterRules: [{ name: 'prefix', value: 'a' }, { name: 'Prefix', value: 'b' }] })],
      'Cannot specify more than one prefix rule in a filter.'],
    ['two suffix rules', [topicConfig({ filterRules: [{ name: 'suffix', value: 'a' }, { name: 'suffix', value: 'b' }] })],
      'Cannot specify more than one suffix rule in a filter.'],
    ['an empty filter value', [topicConfig({ filterRules: [{ name: 'prefix', value: '' }] })], 'filter value cannot be empty'],
    ['a filter value over 1024 bytes', [topicConfig({ filterRules: [{ name: 'prefix', value: 'é'.repeat(513) }] })],
      'Size of filter rule value cannot exceed 1024 bytes in UTF-8 representation'],
    ['an ARN that is not one', [topicConfig({ topicArn: 'orders' })], 'The ARN could not be parsed'],
    ['a queue ARN', [topicConfig({ topicArn: 'arn:aws:sqs:us-east-1:000000000000:q' })], 'The ARN could not be parsed'],
    ['another region', [topicConfig({ topicArn: arn('orders', 'eu-west-1') })],
      'The notification destination service region is not valid for the bucket location constraint'],
    ['no topic name', [topicConfig({ topicArn: arn('') })], 'The ARN could not be parsed'],
    ['a topic Kafka cannot name', [topicConfig({ topicArn: arn('a b') })], 'Unable to validate the following destination configurations'],
    ['a topic name Kafka refuses', [topicConfig({ topicArn: arn('..') })], 'Unable to validate the following destination configurations'],
    ["Sediment's own topic", [topicConfig({ topicArn: arn('sediment.bucket-events.v1') })],
      'Unable to validate the following destination configurations'],
    ['an id over 255 characters', [topicConfig({ id: 'x'.repeat(256) })], 'ID length exceeded allowed limit of 255'],
    ['a repeated id', [topicConfig({ id: 'x' }), topicConfig({ id: 'x', events: ['s3:ObjectRemoved:*'] })],
      'Same ID used for multiple configurations. IDs must be unique.'],
    ['overlapping events in one configuration', [topicConfig({ events: ['s3:ObjectCreated:*', 's3:ObjectCreated:Put'] })],
      'Configurations overlap. Configurations on the same bucket cannot share a common event type.'],
    ['two unfiltered configurations sharing an event', [topicConfig({ id: 'a' }), topicConfig({ id: 'b', events: ['s3:ObjectCreated:Put'] })],
      'Configurations overlap. Configurations on the same bucket cannot share a common event type.'],
    ['filters that can both match', [
      topicConfig({ id: 'a', filterRules: [{ name: 'prefix', value: 'images/' }] }),
      topicConfig({ id: 'b', filterRules: [{ name: 'suffix', value: '.jpg' }] }),
    ], 'Configuration is ambiguously defined. Cannot have overlapping suffixes in two rules if the prefixes are overlapping for the same event type.'],
  ])('refuses %s with InvalidArgument', (_case, configs, message, ...[details]) => {
    // `details` is a rest parameter: jest passes a done callback to a declared one a row lacks.
    const error = refusal(...configs);
    expect([error.code, error.status, error.message]).toEqual(['InvalidArgument', 400, message]);
    if (details) expect(error.details).toEqual(details);
  });

  it('names the destination and the reason when it cannot publish there', () => {
    expect(refusal(topicConfig({ topicArn: arn('sediment.bucket-events.v1') })).details).toEqual({
      ArgumentName1: arn('sediment.bucket-events.v1'),
      ArgumentValue1: "Sediment's own event topics cannot receive notifications",
    });
  });

  it('refuses more than 100 configurations with InvalidRequest', () => {
    const configs = Array.from({ length: 101 }, (_, i) => topicConfig({ id: `c${i}`, filterRules: [{ name: 'prefix', value: `p${i}/` }] }));
    expect(refusal(...configs).code).toBe('InvalidRequest');
  });
});
