import { S3Error } from '../../errors/s3.error.js';
import { parseNotificationConfiguration, renderNotificationConfiguration } from './notification-configuration.xml.js';

const NS = 'http://s3.amazonaws.com/doc/2006-03-01/';

function errorOf(xml: string): S3Error {
  try {
    parseNotificationConfiguration(xml);
  } catch (error) {
    if (error instanceof S3Error) return error;
    throw error;
  }
  throw new Error('parsed, expected an S3Error');
}

describe('parseNotificationConfiguration', () => {
  it('reads the request of the AWS SDK (TopicConfiguration, several events, a filter)', () => {
    const xml =
      `<?xml version="1.0" encoding="UTF-8"?><NotificationConfiguration xmlns="${NS}">` +
      '<TopicConfiguration><Id>images</Id><Topic>arn:aws:sns:us-east-1:000000000000:images</Topic>' +
      '<Event>s3:ObjectCreated:*</Event><Event>s3:ObjectRemoved:Delete</Event>' +
      '<Filter><S3Key><FilterRule><Name>prefix</Name><Value>images/</Value></FilterRule>' +
      '<FilterRule><Name>suffix</Name><Value>.jpg</Value></FilterRule></S3Key></Filter></TopicConfiguration>' +
      '<TopicConfiguration><Topic>arn:aws:sns:us-east-1:000000000000:all</Topic><Event>s3:ObjectRemoved:*</Event></TopicConfiguration>' +
      '</NotificationConfiguration>';
    expect(parseNotificationConfiguration(xml)).toEqual({
      topicConfigurations: [
        {
          id: 'images',
          topicArn: 'arn:aws:sns:us-east-1:000000000000:images',
          events: ['s3:ObjectCreated:*', 's3:ObjectRemoved:Delete'],
          filterRules: [
            { name: 'prefix', value: 'images/' },
            { name: 'suffix', value: '.jpg' },
          ],
        },
        { topicArn: 'arn:aws:sns:us-east-1:000000000000:all', events: ['s3:ObjectRemoved:*'], filterRules: [] },
      ],
    });
  });

  it('reads indented documents, the s3: prefix and escaped values', () => {
    const xml = `
      <s3:NotificationConfiguration xmlns:s3="${NS}">
        <s3:TopicConfiguration>
          <s3:Topic>arn:aws:sns:us-east-1:000000000000:t</s3:Topic>
          <s3:Event>s3:ObjectCreated:Put</s3:Event>
          <s3:Filter><s3:S3Key><s3:FilterRule><s3:Name>Prefix</s3:Name><s3:Value>a&amp;b</s3:Value></s3:FilterRule></s3:S3Key></s3:Filter>
        </s3:TopicConfiguration>
      </s3:NotificationConfiguration>`;
    expect(parseNotificationConfiguration(xml).topicConfigurations[0]!.filterRules).toEqual([{ name: 'Prefix', value: 'a&b' }]);
  });

  it.each([
    `<NotificationConfiguration xmlns="${NS}"/>`,
    '<NotificationConfiguration></NotificationConfiguration>',
    '<NotificationConfiguration>\n  \n</NotificationConfiguration>',
  ])('reads an empty configuration from %j', (xml) => {
    expect(parseNotificationConfiguration(xml)).toEqual({ topicConfigurations: [] });
  });

  it('reads an empty Filter or S3Key as no filter', () => {
    const body = (filter: string) =>
      `<NotificationConfiguration><TopicConfiguration><Topic>arn</Topic><Event>e</Event>${filter}</TopicConfiguration></NotificationConfiguration>`;
    expect(parseNotificationConfiguration(body('<Filter/>')).topicConfigurations[0]!.filterRules).toEqual([]);
    expect(parseNotificationConfiguration(body('<Filter><S3Key></S3Key></Filter>')).topicConfigurations[0]!.filterRules).toEqual([]);
  });

  it.each([
    ['an empty body', ''],
    ['not XML', 'notification please'],
    ['another root', '<Delete><Object><Key>k</Key></Object></Delete>'],
    ['a DTD', '<!DOCTYPE x [<!ENTITY e "x">]><NotificationConfiguration/>'],
    ['an undefined entity', '<NotificationConfiguration><TopicConfiguration><Topic>&e;</Topic><Event>x</Event></TopicConfiguration></NotificationConfiguration>'],
    ['text in the root', '<NotificationConfiguration>hello</NotificationConfiguration>'],
    ['an unknown element', '<NotificationConfiguration><Bogus/></NotificationConfiguration>'],
    ['no Topic', '<NotificationConfiguration><TopicConfiguration><Event>s3:ObjectCreated:*</Event></TopicConfiguration></NotificationConfiguration>'],
    ['no Event', '<NotificationConfiguration><TopicConfiguration><Topic>arn</Topic></TopicConfiguration></NotificationConfiguration>'],
    ['two Topics', '<NotificationConfiguration><TopicConfiguration><Topic>a</Topic><Topic>b</Topic><Event>e</Event></TopicConfiguration></NotificationConfiguration>'],
    ['two Ids', '<NotificationConfiguration><TopicConfiguration><Id>a</Id><Id>b</Id><Topic>a</Topic><Event>e</Event></TopicConfiguration></NotificationConfiguration>'],
    ['an element inside Event', '<NotificationConfiguration><TopicConfiguration><Topic>a</Topic><Event><X/></Event></TopicConfiguration></NotificationConfiguration>'],
    ['two Filters', '<NotificationConfiguration><TopicConfiguration><Topic>a</Topic><Event>e</Event><Filter/><Filter/></TopicConfiguration></NotificationConfiguration>'],
    ['a FilterRule without Value', '<NotificationConfiguration><TopicConfiguration><Topic>a</Topic><Event>e</Event><Filter><S3Key><FilterRule><Name>prefix</Name></FilterRule></S3Key></Filter></TopicConfiguration></NotificationConfiguration>'],
    ['an unknown Filter member', '<NotificationConfiguration><TopicConfiguration><Topic>a</Topic><Event>e</Event><Filter><Key/></Filter></TopicConfiguration></NotificationConfiguration>'],
    ['two roots', '<NotificationConfiguration/><NotificationConfiguration/>'],
  ])('refuses %s with MalformedXML', (_case, xml) => {
    const error = errorOf(xml);
    expect([error.code, error.status]).toEqual(['MalformedXML', 400]);
  });

  it.each(['QueueConfiguration', 'CloudFunctionConfiguration', 'EventBridgeConfiguration'])('answers %s with NotImplemented', (name) => {
    const error = errorOf(`<NotificationConfiguration><${name}><Event>s3:ObjectCreated:*</Event></${name}></NotificationConfiguration>`);
    expect([error.code, error.status]).toEqual(['NotImplemented', 501]);
    expect(error.message).toContain(name);
  });

  it('refuses a body over 1 MiB with MaxMessageLengthExceeded', () => {
    expect(errorOf(`<NotificationConfiguration>${' '.repeat(1024 * 1024)}</NotificationConfiguration>`).code).toBe('MaxMessageLengthExceeded');
  });
});

describe('renderNotificationConfiguration', () => {
  it('writes an empty document when there is no configuration', () => {
    expect(renderNotificationConfiguration(undefined)).toBe(
      `<?xml version="1.0" encoding="UTF-8"?>\n<NotificationConfiguration xmlns="${NS}"></NotificationConfiguration>`,
    );
  });

  it("writes S3's element order, rule names capitalised, values escaped", () => {
    const xml = renderNotificationConfiguration({
      topicConfigurations: [
        {
          id: 'images',
          topicArn: 'arn:aws:sns:us-east-1:000000000000:images',
          events: ['s3:ObjectCreated:*', 's3:ObjectRemoved:Delete'],
          filter: { prefix: 'a&b/', suffix: '.jpg' },
        },
        { id: 'all', topicArn: 'arn:aws:sns:us-east-1:000000000000:all', events: ['s3:ObjectRestore:*'] },
      ],
    });
    expect(xml).toBe(
      `<?xml version="1.0" encoding="UTF-8"?>\n<NotificationConfiguration xmlns="${NS}">` +
        '<TopicConfiguration><Id>images</Id><Topic>arn:aws:sns:us-east-1:000000000000:images</Topic>' +
        '<Event>s3:ObjectCreated:*</Event><Event>s3:ObjectRemoved:Delete</Event>' +
        '<Filter><S3Key><FilterRule><Name>Prefix</Name><Value>a&amp;b/</Value></FilterRule>' +
        '<FilterRule><Name>Suffix</Name><Value>.jpg</Value></FilterRule></S3Key></Filter></TopicConfiguration>' +
        '<TopicConfiguration><Id>all</Id><Topic>arn:aws:sns:us-east-1:000000000000:all</Topic>' +
        '<Event>s3:ObjectRestore:*</Event></TopicConfiguration></NotificationConfiguration>',
    );
  });

  it('round-trips through the parser', () => {
    const config = {
      topicConfigurations: [{ id: 'x', topicArn: 'arn:aws:sns:us-east-1:000000000000:t', events: ['s3:ObjectCreated:Put'], filter: { suffix: '<>' } }],
    };
    expect(parseNotificationConfiguration(renderNotificationConfiguration(config))).toEqual({
      topicConfigurations: [{ id: 'x', topicArn: config.topicConfigurations[0]!.topicArn, events: ['s3:ObjectCreated:Put'], filterRules: [{ name: 'Suffix', value: '<>' }] }],
    });
  });
});
