import { BadRequestException, Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { iamErrorFromS3Code, IamError } from '../../errors/iam.error.js';
import { renderIamError } from '../iam-query-api/iam-xml.renderers.js';
import { renderError } from '../xml/s3-xml.renderers.js';
import type { S3HttpRequest } from '../http/s3-request.js';
import { S3Error } from '../../errors/s3.error.js';
import { UnstorableEventError } from '../../event-log/storable.js';

/**
 * The one place errors become HTTP: an S3Error is rendered as AWS does; anything else is an
 * opaque 500 InternalError (logged), so storage failures never pass for client errors.
 */
@Catch()
export class S3ExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('S3');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<S3HttpRequest>();
    const res = http.getResponse<Response>();
    const requestId = req.sediment?.requestId ?? '';
    if (req.sediment?.protocol === 'iam') return this.iamError(exception, req, res);
    const error =
      exception instanceof S3Error ? exception : (platformError(exception) ?? this.unstorable(exception, req) ?? this.internal(exception, req));
    if (res.headersSent) {
      // A streamed response failed midway; the only honest signal left is a cut connection.
      res.destroy();
      return;
    }
    const body = renderError({
      code: error.code,
      message: error.message,
      resource: error.resource ?? safePath(req),
      requestId,
      details: error.details,
    });
    res.status(error.status);
    for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value);
    res.setHeader('Content-Type', 'application/xml');
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    res.setHeader('Content-Length', Buffer.byteLength(body));
    res.end(body);
    // An error answered before the request body was read: drain it so the connection survives.
    if (!req.readableEnded) req.resume();
  }

  /** IAM Query API calls are answered in IAM's ErrorResponse format, with IAM's codes. */
  private iamError(exception: unknown, req: S3HttpRequest, res: Response): void {
    let error: IamError;
    const unstorable = this.unstorable(exception, req);
    if (exception instanceof IamError) error = exception;
    else if (unstorable) error = new IamError('InvalidInput', unstorable.message);
    else if (exception instanceof S3Error) error = iamErrorFromS3Code(exception.code, exception.message, exception.details);
    else {
      this.internal(exception, req);
      error = new IamError('ServiceFailure');
    }
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const body = renderIamError(error, req.sediment.requestId);
    res.status(error.status);
    res.setHeader('Content-Type', 'text/xml');
    res.setHeader('Content-Length', Buffer.byteLength(body));
    res.end(body);
    if (!req.readableEnded) req.resume();
  }

  /**
   * The writers' backstop refused an event the read model could not store. It is still the
   * client's input, so a 400; but an edge check should have caught it first: say so loudly.
   */
  private unstorable(exception: unknown, req: S3HttpRequest): S3Error | undefined {
    if (!(exception instanceof UnstorableEventError)) return undefined;
    this.logger.warn(`${req.method} ${req.originalUrl}: no edge check refused an unstorable value (${exception.message})`);
    return new S3Error('InvalidArgument', { message: `The request holds a value Sediment cannot store: ${exception.problem.reason}.` });
  }

  private internal(exception: unknown, req: S3HttpRequest): S3Error {
    this.logger.error(
      `${req.method} ${req.originalUrl} failed: ${exception instanceof Error ? exception.stack : String(exception)}`,
    );
    return new S3Error('InternalError');
  }
}

/** Client errors the HTTP platform raises before any Sediment code runs. */
function platformError(exception: unknown): S3Error | undefined {
  // Express fails to percent-decode the route's path parameter, e.g. GET /%
  if (exception instanceof BadRequestException && exception.message.startsWith('Failed to decode param')) {
    return new S3Error('InvalidURI');
  }
  return undefined;
}

function safePath(req: S3HttpRequest): string {
  // Virtual-hosted-style requests name the same <Resource> as their path-style equivalent.
  const path = req.sediment?.resourcePath ?? req.originalUrl.split('?')[0] ?? '/';
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
