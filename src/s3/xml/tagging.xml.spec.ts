import { S3Error } from '../../errors/s3.error.js';
import { parseTagging, renderTagging } from './tagging.xml.js';

const codeOf = (xml: string): string => {
  try {
    parseTagging(xml);
  } catch (error) {
    if (error instanceof S3Error) return error.code;
    throw error;
  }
  return 'parsed';
};

describe('Tagging XML', () => {
  it('reads the tags in order, namespaced or not, with entities decoded and empty values kept', () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
      <Tagging xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
        <TagSet>
          <Tag><Key>project</Key><Value>a &amp; b</Value></Tag>
          <Tag><Value></Value><Key>reviewed</Key></Tag>
        </TagSet>
      </Tagging>`;
    expect(parseTagging(xml)).toEqual([
      { key: 'project', value: 'a & b' },
      { key: 'reviewed', value: '' },
    ]);
  });

  it('reads an empty TagSet as no tags', () => {
    expect(parseTagging('<Tagging><TagSet/></Tagging>')).toEqual([]);
    expect(parseTagging('<Tagging><TagSet>\n</TagSet></Tagging>')).toEqual([]);
  });

  it.each([
    '',
    '<Tagging/>',
    '<Tagging><TagSet><Tag><Key>k</Key></Tag></TagSet></Tagging>',
    '<Tagging><TagSet><Tag><Value>v</Value></Tag></TagSet></Tagging>',
    '<Tagging><TagSet><Tag><Key>a</Key><Key>b</Key><Value>v</Value></Tag></TagSet></Tagging>',
    '<Tagging><TagSet/><TagSet/></Tagging>',
    '<Tagging><TagSet><Other/></TagSet></Tagging>',
    '<Tagging><TagSet><Tag><Key>k</Key><Value>v</Value><Extra/></Tag></TagSet></Tagging>',
    '<Tagging><TagSet>text<Tag><Key>k</Key><Value>v</Value></Tag></TagSet></Tagging>',
    '<Tags><TagSet/></Tags>',
    '<Tagging><TagSet><Tag><Key>k</Key><Value>v</Value></Tag></TagSet>',
  ])('refuses %j as MalformedXML', (xml) => {
    expect(codeOf(xml)).toBe('MalformedXML');
  });

  it('renders the tag set in S3 namespace, an empty one as an empty TagSet', () => {
    expect(renderTagging([{ key: 'a<b', value: '' }])).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<Tagging xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><TagSet><Tag><Key>a&lt;b</Key><Value></Value></Tag></TagSet></Tagging>',
    );
    expect(renderTagging([])).toContain('<TagSet></TagSet>');
  });
});
