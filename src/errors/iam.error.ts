import { S3_ERROR_CATALOGUE } from './s3-error-catalogue.js';

export type IamErrorType = 'Sender' | 'Receiver';

interface IamErrorSpec {
  readonly status: number;
  readonly type: IamErrorType;
  readonly message: string;
}

/**
 * Every error code the IAM Query API of Sediment can answer with: HTTP status, fault type and
 * default message, as in the IAM API reference (per-action errors and "Common Error Types").
 * The list is closed: a handler can only raise a code listed here.
 */
export const IAM_ERROR_CATALOGUE = {
  AccessDenied: {
    status: 403,
    type: 'Sender',
    message: 'You do not have sufficient access to perform this action.',
  },
  DeleteConflict: {
    status: 409,
    type: 'Sender',
    message:
      'The request was rejected because it attempted to delete a resource that has attached subordinate entities.',
  },
  EntityAlreadyExists: {
    status: 409,
    type: 'Sender',
    message: 'The request was rejected because it attempted to create a resource that already exists.',
  },
  IncompleteSignature: {
    status: 400,
    type: 'Sender',
    message: 'The request signature does not conform to AWS standards.',
  },
  InvalidAction: {
    status: 400,
    type: 'Sender',
    message: 'The action or operation requested is invalid. Verify that the action is typed correctly.',
  },
  // What IAM answers for an unknown or inactive access key id (S3 says InvalidAccessKeyId).
  InvalidClientTokenId: {
    status: 403,
    type: 'Sender',
    message: 'The security token included in the request is invalid.',
  },
  InvalidInput: {
    status: 400,
    type: 'Sender',
    message: 'The request was rejected because an invalid or out-of-range value was supplied for an input parameter.',
  },
  InvalidParameterValue: {
    status: 400,
    type: 'Sender',
    message: 'An invalid or out-of-range value was supplied for the input parameter.',
  },
  LimitExceeded: {
    status: 409,
    type: 'Sender',
    message: 'The request was rejected because it attempted to create resources beyond the current AWS account limits.',
  },
  MalformedPolicyDocument: {
    status: 400,
    type: 'Sender',
    message: 'The request was rejected because the policy document was malformed.',
  },
  MissingAction: {
    status: 400,
    type: 'Sender',
    message: 'The request is missing an action or a required parameter.',
  },
  MissingAuthenticationToken: {
    status: 403,
    type: 'Sender',
    message: 'The request must contain either a valid (registered) AWS access key ID or X.509 certificate.',
  },
  MissingParameter: {
    status: 400,
    type: 'Sender',
    message: 'A required parameter for the specified action is not supplied.',
  },
  NoSuchEntity: {
    status: 404,
    type: 'Sender',
    message: 'The request was rejected because it referenced a resource entity that does not exist.',
  },
  RequestExpired: {
    status: 400,
    type: 'Sender',
    message:
      'The request reached the service more than 15 minutes after the date stamp on the request or more than 15 minutes after the request expiration date (such as for pre-signed URLs), or the date stamp on the request is more than 15 minutes in the future.',
  },
  ServiceFailure: {
    status: 500,
    type: 'Receiver',
    message: 'The request processing has failed because of an unknown error, exception or failure.',
  },
  ServiceUnavailable: {
    status: 503,
    type: 'Receiver',
    message: 'The request has failed due to a temporary failure of the server.',
  },
  SignatureDoesNotMatch: {
    status: 403,
    type: 'Sender',
    message:
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
  },
  ValidationError: {
    status: 400,
    type: 'Sender',
    message: 'The input fails to satisfy the constraints specified by an AWS service.',
  },
} as const satisfies Record<string, IamErrorSpec>;

export type IamErrorCode = keyof typeof IAM_ERROR_CATALOGUE;

/** A client-visible IAM error. Anything thrown that is not an IamError becomes ServiceFailure. */
export class IamError extends Error {
  readonly status: number;
  readonly type: IamErrorType;

  constructor(
    readonly code: IamErrorCode,
    message?: string,
  ) {
    super(message ?? IAM_ERROR_CATALOGUE[code].message);
    this.name = 'IamError';
    this.status = IAM_ERROR_CATALOGUE[code].status;
    this.type = IAM_ERROR_CATALOGUE[code].type;
  }
}

export function isIamError(error: unknown): error is IamError {
  return error instanceof IamError;
}

/**
 * How S3 auth errors from the shared SigV4 verifier read on the IAM endpoint. `keep` says whether
 * the verifier's message still makes sense there; where it names S3 concepts the IAM default
 * message is used instead.
 */
const FROM_S3: Readonly<Record<string, { readonly code: IamErrorCode; readonly keep: boolean }>> = {
  AccessDenied: { code: 'AccessDenied', keep: true },
  InvalidAccessKeyId: { code: 'InvalidClientTokenId', keep: false },
  SignatureDoesNotMatch: { code: 'SignatureDoesNotMatch', keep: false },
  AuthorizationHeaderMalformed: { code: 'IncompleteSignature', keep: true },
  AuthorizationQueryParametersError: { code: 'IncompleteSignature', keep: true },
  // IAM answers a skewed or expired signature with SignatureDoesNotMatch "Signature expired: …".
  RequestTimeTooSkewed: { code: 'SignatureDoesNotMatch', keep: true },
  // IAM hashes the body itself, so a body that does not match what was signed is a bad signature.
  XAmzContentSHA256Mismatch: { code: 'SignatureDoesNotMatch', keep: false },
  InvalidArgument: { code: 'InvalidParameterValue', keep: true },
  InvalidRequest: { code: 'InvalidParameterValue', keep: true },
  // An unsupported signing variant (SigV4a) is the client's to fix; a 5xx would make it retry.
  NotImplemented: { code: 'InvalidParameterValue', keep: true },
  ServiceUnavailable: { code: 'ServiceUnavailable', keep: false },
  InternalError: { code: 'ServiceFailure', keep: false },
};

/**
 * Translates an S3Error raised by the SigV4 verifier into the error IAM would answer. Unknown
 * codes stay opaque when they are server faults (or not S3 codes at all), and become
 * InvalidParameterValue with their message otherwise. Pass the S3Error's details for
 * RequestTimeTooSkewed so the message can name the times, as IAM's does.
 */
export function iamErrorFromS3Code(
  s3Code: string,
  message: string,
  details: Readonly<Record<string, string>> = {},
): IamError {
  const known = FROM_S3[s3Code];
  if (known !== undefined) {
    if (s3Code === 'RequestTimeTooSkewed') return new IamError(known.code, skewMessage(details) ?? message);
    return new IamError(known.code, known.keep ? message : undefined);
  }
  const s3Status = (S3_ERROR_CATALOGUE as Readonly<Record<string, { status: number }>>)[s3Code]?.status;
  if (s3Status === undefined || s3Status >= 500) return new IamError('ServiceFailure');
  return new IamError('InvalidParameterValue', message);
}

const MAX_SKEW_MS = 15 * 60 * 1000;

/**
 * IAM's exact wording for a request signed too long ago or too far in the future, e.g.
 * "Signature expired: 20260101T000000Z is now earlier than 20260101T001500Z (20260101T003000Z - 15 min.)".
 */
export function signatureExpiredMessage(signedAt: Date, now: Date): string {
  if (signedAt.getTime() > now.getTime()) {
    const latest = new Date(now.getTime() + MAX_SKEW_MS);
    return `Signature not yet current: ${amzDate(signedAt)} is still later than ${amzDate(latest)} (${amzDate(now)} + 15 min.)`;
  }
  const earliest = new Date(now.getTime() - MAX_SKEW_MS);
  return `Signature expired: ${amzDate(signedAt)} is now earlier than ${amzDate(earliest)} (${amzDate(now)} - 15 min.)`;
}

/** Reads the RequestTime / ServerTime details the verifier attaches to RequestTimeTooSkewed. */
function skewMessage(details: Readonly<Record<string, string>>): string | undefined {
  const signedAt = parseTime(details['RequestTime']);
  const now = parseTime(details['ServerTime']);
  return signedAt && now ? signatureExpiredMessage(signedAt, now) : undefined;
}

const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/** X-Amz-Date (yyyyMMdd'T'HHmmss'Z'), or anything Date.parse reads (ISO 8601, an HTTP Date header). */
function parseTime(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const m = AMZ_DATE.exec(value.trim());
  const ms = m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) : Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(ms);
}

function amzDate(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}
