import { S3Error } from '../../errors/s3.error.js';
import { parseCorsConfiguration, renderCorsConfiguration } from './cors-configuration.xml.js';

const codeOf = (xml: string): string => {
  try {
    parseCorsConfiguration(xml);
  } catch (error) {
    if (error instanceof S3Error) return error.code;
    throw error;
  }
  return 'parsed';
};

describe('CORSConfiguration XML', () => {
  it('reads every rule with its lists, ID and MaxAgeSeconds', () => {
    const xml = `<CORSConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
      <CORSRule>
        <ID>web</ID>
        <AllowedOrigin>http://www.example.com</AllowedOrigin>
        <AllowedMethod>PUT</AllowedMethod>
        <AllowedMethod>POST</AllowedMethod>
        <AllowedHeader>*</AllowedHeader>
        <ExposeHeader>x-amz-server-side-encryption</ExposeHeader>
        <ExposeHeader>x-amz-request-id</ExposeHeader>
        <MaxAgeSeconds>3000</MaxAgeSeconds>
      </CORSRule>
      <CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule>
    </CORSConfiguration>`;
    expect(parseCorsConfiguration(xml)).toEqual({
      rules: [
        {
          id: 'web',
          allowedMethods: ['PUT', 'POST'],
          allowedOrigins: ['http://www.example.com'],
          allowedHeaders: ['*'],
          exposeHeaders: ['x-amz-server-side-encryption', 'x-amz-request-id'],
          maxAgeSeconds: 3000,
        },
        { allowedMethods: ['GET'], allowedOrigins: ['*'], allowedHeaders: [], exposeHeaders: [] },
      ],
    });
  });

  it('keeps an empty AllowedOrigin and an empty AllowedMethod for the rules to judge', () => {
    expect(parseCorsConfiguration('<CORSConfiguration><CORSRule><AllowedOrigin/><AllowedMethod/></CORSRule></CORSConfiguration>').rules[0]).toEqual(
      { allowedMethods: [''], allowedOrigins: [''], allowedHeaders: [], exposeHeaders: [] },
    );
  });

  it.each([
    '',
    '<CORSConfiguration/>',
    '<CORSConfiguration></CORSConfiguration>',
    '<CORSConfiguration><CORSRule/></CORSConfiguration>',
    '<CORSConfiguration><CORSRule><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>',
    '<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin></CORSRule></CORSConfiguration>',
    '<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod><MaxAgeSeconds>soon</MaxAgeSeconds></CORSRule></CORSConfiguration>',
    '<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod><Unknown/></CORSRule></CORSConfiguration>',
    '<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod><ID>a</ID><ID>b</ID></CORSRule></CORSConfiguration>',
    '<CORSConfiguration><Rule/></CORSConfiguration>',
    '<CorsConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule></CorsConfiguration>',
  ])('refuses %j as MalformedXML', (xml) => {
    expect(codeOf(xml)).toBe('MalformedXML');
  });

  it('renders a rule as GetBucketCors answers it', () => {
    expect(
      renderCorsConfiguration({
        rules: [{ id: 'r', allowedMethods: ['GET'], allowedOrigins: ['*'], allowedHeaders: ['a'], exposeHeaders: ['ETag'], maxAgeSeconds: 5 }],
      }),
    ).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<CORSConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><CORSRule><ID>r</ID><AllowedHeader>a</AllowedHeader><AllowedMethod>GET</AllowedMethod><AllowedOrigin>*</AllowedOrigin><ExposeHeader>ETag</ExposeHeader><MaxAgeSeconds>5</MaxAgeSeconds></CORSRule></CORSConfiguration>',
    );
  });
});
