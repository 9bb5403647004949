import {
  decodeFilterValue,
  destinationTopicOf,
  filtersOverlap,
  keyMatchesFilter,
  matchingConfigurations,
  sameConfiguration,
  subscriptionCovers,
  subscriptionsOverlap,
  type BucketNotificationConfiguration,
} from './notification-configuration.js';

describe('event subscriptions', () => {
  it.each<[string, string, boolean]>([
    ['s3:ObjectCreated:*', 's3:ObjectCreated:Put', true],
    ['s3:ObjectCreated:Put', 's3:ObjectCreated:Put', true],
    ['s3:ObjectCreated:Copy', 's3:ObjectCreated:Put', false],
    ['s3:ObjectRemoved:*', 's3:ObjectRemoved:Delete', true],
    ['s3:ObjectRemoved:*', 's3:ObjectCreated:Put', false],
    ['s3:ObjectRemoved:Delete', 's3:ObjectRemoved:DeleteMarkerCreated', false],
    ['s3:ObjectCreated:*', 's3:ObjectCreatedX:Put', false],
  ])('%s covers %s: %s', (subscription, event, covers) => expect(subscriptionCovers(subscription, event)).toBe(covers));

  it('finds overlapping subscription lists through wildcards, in either direction', () => {
    expect(subscriptionsOverlap(['s3:ObjectCreated:Put'], ['s3:ObjectCreated:*'])).toBe(true);
    expect(subscriptionsOverlap(['s3:ObjectCreated:*'], ['s3:ObjectCreated:Copy', 's3:ObjectRemoved:*'])).toBe(true);
    expect(subscriptionsOverlap(['s3:ObjectCreated:Put'], ['s3:ObjectCreated:Copy', 's3:ObjectRemoved:*'])).toBe(false);
  });
});

describe('key filters', () => {
  it.each<[{ prefix?: string; suffix?: string } | undefined, string, boolean]>([
    [undefined, 'anything', true],
    [{ prefix: 'images/' }, 'images/cat.jpg', true],
    [{ prefix: 'images/' }, 'docs/cat.jpg', false],
    [{ suffix: '.jpg' }, 'images/cat.jpg', true],
    [{ suffix: '.jpg' }, 'images/cat.png', false],
    [{ prefix: 'images/', suffix: '.jpg' }, 'images/cat.jpg', true],
    [{ prefix: 'images/', suffix: '.jpg' }, 'images/cat.png', false],
    // Values are URL-encoded as AWS asks: '+' is a space, %XX a byte.
    [{ prefix: 'my+photos/' }, 'my photos/a.jpg', true],
    [{ prefix: 'a%2Bb/' }, 'a+b/x', true],
    [{ prefix: 'a%2Bb/' }, 'a b/x', false],
    [{ prefix: 'dt%3D2026/' }, 'dt=2026/part-0', true],
    [{ prefix: '%C3%A9t%C3%A9/' }, 'été/x', true],
    [{ prefix: 'été/' }, 'été/x', true],
    // Not decodable: taken literally.
    [{ prefix: '100%/' }, '100%/x', true],
  ])('%j on %j: %s', (filter, key, matches) => expect(keyMatchesFilter(filter, key)).toBe(matches));

  it('decodes form-encoded values', () => {
    expect(decodeFilterValue('a+b%2Bc')).toBe('a b+c');
    expect(decodeFilterValue('%E2%82%AC')).toBe('€');
    expect(decodeFilterValue('%ZZ')).toBe('%ZZ');
  });

  it.each<[{ prefix?: string; suffix?: string } | undefined, { prefix?: string; suffix?: string } | undefined, boolean]>([
    [undefined, undefined, true],
    [undefined, { prefix: 'a/' }, true],
    [{ prefix: 'a/' }, { prefix: 'a/b/' }, true],
    [{ prefix: 'a/' }, { prefix: 'b/' }, false],
    [{ suffix: '.jpg' }, { suffix: '.png' }, false],
    [{ suffix: '.jpg' }, { suffix: 'x.jpg' }, true],
    [{ prefix: 'a/', suffix: '.jpg' }, { prefix: 'a/', suffix: '.png' }, false],
    [{ prefix: 'a/' }, { suffix: '.png' }, true], // a/x.png matches both
    [{ prefix: 'a/', suffix: '.jpg' }, { prefix: 'b/' }, false],
  ])('%j and %j overlap: %s', (a, b, overlap) => {
    expect(filtersOverlap(a, b)).toBe(overlap);
    expect(filtersOverlap(b, a)).toBe(overlap);
  });
});

describe('matchingConfigurations', () => {
  const config: BucketNotificationConfiguration = {
    topicConfigurations: [
      { id: 'images', topicArn: 'arn:aws:sns:us-east-1:000000000000:images', events: ['s3:ObjectCreated:*'], filter: { prefix: 'images/' } },
      { id: 'deletes', topicArn: 'arn:aws:sns:us-east-1:000000000000:deletes', events: ['s3:ObjectRemoved:Delete'] },
    ],
  };

  it('selects by event name and key', () => {
    expect(matchingConfigurations(config, 's3:ObjectCreated:Put', 'images/a.jpg').map((c) => c.id)).toEqual(['images']);
    expect(matchingConfigurations(config, 's3:ObjectCreated:Put', 'docs/a.txt')).toEqual([]);
    expect(matchingConfigurations(config, 's3:ObjectRemoved:Delete', 'images/a.jpg').map((c) => c.id)).toEqual(['deletes']);
  });

  it('names the Kafka topic by the last segment of the ARN', () => {
    expect(destinationTopicOf('arn:aws:sns:us-east-1:000000000000:orders.v1')).toBe('orders.v1');
  });

  it('compares configurations by their normalised JSON; none equals empty', () => {
    expect(sameConfiguration(config, structuredClone(config))).toBe(true);
    expect(sameConfiguration(undefined, { topicConfigurations: [] })).toBe(true);
    expect(sameConfiguration(config, { topicConfigurations: [config.topicConfigurations[0]!] })).toBe(false);
  });
});
