import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { verifySigV4 } from './sigv4/sigv4.verifier.js';
import { CredentialsRegistry } from './credentials.js';
import { splitUrl, type S3HttpRequest } from '../s3/http/s3-request.js';
import { S3Error } from '../s3/errors/s3.error.js';

/**
 * Stands in front of every request: authenticates it by SigV4 (Authorization header or presigned
 * URL query parameters) and decides whether the principal may act. First cut: every authenticated
 * key is the root, which may do everything; per-user policies come with full IAM.
 */
@Injectable()
export class IamGuard implements CanActivate {
  constructor(private readonly credentials: CredentialsRegistry) {}

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<S3HttpRequest>();
    const { rawPath, rawQuery } = splitUrl(req.originalUrl);
    const signature = verifySigV4(
      // headersDistinct keeps repeated header lines apart; SigV4 joins them with ',' not ', '.
      { method: req.method, rawPath, rawQuery, headers: req.headersDistinct },
      (accessKeyId) => this.credentials.find(accessKeyId)?.secretAccessKey,
      new Date(),
    );
    const identity = this.credentials.find(signature.accessKeyId);
    if (!identity) throw new S3Error('InvalidAccessKeyId');
    req.sediment.signature = signature;
    req.sediment.principal = identity.principal;
    return true;
  }
}
