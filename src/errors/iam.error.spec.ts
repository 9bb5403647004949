import { IAM_ERROR_CATALOGUE, IamError, iamErrorFromS3Code, isIamError, signatureExpiredMessage, type IamErrorCode } from './iam.error.js';

const summary = (error: IamError) => ({ code: error.code, status: error.status, type: error.type, message: error.message });

describe('IamError', () => {
  it('takes status, type and default message from the catalogue', () => {
    const error = new IamError('NoSuchEntity');
    expect(summary(error)).toEqual({
      code: 'NoSuchEntity',
      status: 404,
      type: 'Sender',
      message: 'The request was rejected because it referenced a resource entity that does not exist.',
    });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('IamError');
    expect(isIamError(error)).toBe(true);
    expect(isIamError(new Error('x'))).toBe(false);
  });

  it('keeps a specific message', () => {
    expect(new IamError('NoSuchEntity', 'The user with name bob cannot be found.').message).toBe('The user with name bob cannot be found.');
  });

  it.each<[IamErrorCode, number, 'Sender' | 'Receiver']>([
    ['NoSuchEntity', 404, 'Sender'],
    ['EntityAlreadyExists', 409, 'Sender'],
    ['DeleteConflict', 409, 'Sender'],
    ['LimitExceeded', 409, 'Sender'],
    ['MalformedPolicyDocument', 400, 'Sender'],
    ['ValidationError', 400, 'Sender'],
    ['InvalidAction', 400, 'Sender'],
    ['InvalidInput', 400, 'Sender'],
    ['InvalidParameterValue', 400, 'Sender'],
    ['MissingAction', 400, 'Sender'],
    ['MissingParameter', 400, 'Sender'],
    ['AccessDenied', 403, 'Sender'],
    ['InvalidClientTokenId', 403, 'Sender'],
    ['MissingAuthenticationToken', 403, 'Sender'],
    ['SignatureDoesNotMatch', 403, 'Sender'],
    ['IncompleteSignature', 400, 'Sender'],
    ['RequestExpired', 400, 'Sender'],
    ['ServiceFailure', 500, 'Receiver'],
    ['ServiceUnavailable', 503, 'Receiver'],
  ])('%s is %i %s', (code, status, type) => {
    expect(new IamError(code)).toMatchObject({ status, type });
  });

  it('catalogues Receiver faults exactly for the 5xx codes', () => {
    for (const [code, spec] of Object.entries(IAM_ERROR_CATALOGUE)) {
      expect([code, spec.type]).toEqual([code, spec.status >= 500 ? 'Receiver' : 'Sender']);
    }
  });
});

describe('iamErrorFromS3Code', () => {
  it.each<[string, string, IamErrorCode, number, string]>([
    ['AccessDenied', 'Request has expired', 'AccessDenied', 403, 'Request has expired'],
    ['InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', 'InvalidClientTokenId', 403, 'The security token included in the request is invalid.'],
    [
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
      'SignatureDoesNotMatch',
      403,
      IAM_ERROR_CATALOGUE.SignatureDoesNotMatch.message,
    ],
    [
      'AuthorizationHeaderMalformed',
      'The authorization header is malformed; the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".',
      'IncompleteSignature',
      400,
      'The authorization header is malformed; the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".',
    ],
    ['AuthorizationQueryParametersError', 'X-Amz-Expires must be non-negative', 'IncompleteSignature', 400, 'X-Amz-Expires must be non-negative'],
    ['XAmzContentSHA256Mismatch', "The provided 'x-amz-content-sha256' header does not match what was computed.", 'SignatureDoesNotMatch', 403, IAM_ERROR_CATALOGUE.SignatureDoesNotMatch.message],
    ['InvalidArgument', 'Only one auth mechanism allowed', 'InvalidParameterValue', 400, 'Only one auth mechanism allowed'],
    ['InvalidRequest', 'Missing required header for this request: x-amz-content-sha256', 'InvalidParameterValue', 400, 'Missing required header for this request: x-amz-content-sha256'],
    ['NotImplemented', 'x-amz-content-sha256 STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD (SigV4a) is not supported.', 'InvalidParameterValue', 400, 'x-amz-content-sha256 STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD (SigV4a) is not supported.'],
    ['ServiceUnavailable', 'Please reduce your request rate.', 'ServiceUnavailable', 503, IAM_ERROR_CATALOGUE.ServiceUnavailable.message],
    ['InternalError', 'We encountered an internal error. Please try again.', 'ServiceFailure', 500, IAM_ERROR_CATALOGUE.ServiceFailure.message],
    // Not mapped on purpose: 4xx keep their message, server faults and unknown codes stay opaque.
    ['MissingContentLength', 'You must provide the Content-Length HTTP header.', 'InvalidParameterValue', 400, 'You must provide the Content-Length HTTP header.'],
    ['MaxMessageLengthExceeded', 'Your request was too big.', 'InvalidParameterValue', 400, 'Your request was too big.'],
    ['SomethingNew', 'a secret stack trace', 'ServiceFailure', 500, IAM_ERROR_CATALOGUE.ServiceFailure.message],
  ])('%s → %s', (s3Code, message, code, status, expectedMessage) => {
    const error = iamErrorFromS3Code(s3Code, message);
    expect(error).toBeInstanceOf(IamError);
    expect(summary(error)).toEqual({ code, status, type: status >= 500 ? 'Receiver' : 'Sender', message: expectedMessage });
  });

  it('answers a skewed request as IAM does, naming the times from the verifier details', () => {
    const error = iamErrorFromS3Code('RequestTimeTooSkewed', "The difference between the request time and the server's time is too large.", {
      RequestTime: '20260101T000000Z',
      ServerTime: '2026-01-01T01:00:00Z',
      MaxAllowedSkewMilliseconds: '900000',
    });
    expect(summary(error)).toEqual({
      code: 'SignatureDoesNotMatch',
      status: 403,
      type: 'Sender',
      message: 'Signature expired: 20260101T000000Z is now earlier than 20260101T004500Z (20260101T010000Z - 15 min.)',
    });
  });

  it('reads a Date header as the request time too', () => {
    const error = iamErrorFromS3Code('RequestTimeTooSkewed', 'skewed', {
      RequestTime: 'Thu, 01 Jan 2026 02:00:00 GMT',
      ServerTime: '2026-01-01T01:00:00Z',
    });
    expect(error.message).toBe('Signature not yet current: 20260101T020000Z is still later than 20260101T011500Z (20260101T010000Z + 15 min.)');
  });

  it('keeps the message of a skew error without usable details', () => {
    expect(summary(iamErrorFromS3Code('RequestTimeTooSkewed', 'too skewed', { RequestTime: 'garbage', ServerTime: '2026-01-01T01:00:00Z' }))).toEqual({
      code: 'SignatureDoesNotMatch',
      status: 403,
      type: 'Sender',
      message: 'too skewed',
    });
  });
});

describe('signatureExpiredMessage', () => {
  it('matches the wording of AWS for a request signed too long ago', () => {
    expect(signatureExpiredMessage(new Date('2022-01-27T00:14:27Z'), new Date('2022-01-27T01:59:28Z'))).toBe(
      'Signature expired: 20220127T001427Z is now earlier than 20220127T014428Z (20220127T015928Z - 15 min.)',
    );
  });

  it('and for a request signed in the future', () => {
    expect(signatureExpiredMessage(new Date('2026-01-01T00:30:01Z'), new Date('2026-01-01T00:00:00.999Z'))).toBe(
      'Signature not yet current: 20260101T003001Z is still later than 20260101T001500Z (20260101T000000Z + 15 min.)',
    );
  });
});
