import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { OAuth2ErrorCode, SigninErrorType } from './types.js';

/**
 * A modeled CreateOAuth2Token error. Both botocore's rest-json parser and the JS SDK take the
 * error code from the x-amzn-ErrorType header (before anything in the body), then read the shape's
 * members `error` and `message` from the JSON body; botocore puts them at the top of
 * `e.response`, which is where the AWS CLI's `e.response.get('error')` finds them.
 */
export class SigninError extends Error {
  constructor(
    readonly errorType: SigninErrorType,
    readonly error: OAuth2ErrorCode,
    message: string,
    readonly status: number = statusFor(errorType, error),
  ) {
    super(message);
  }
}

/**
 * The model's statuses: AccessDeniedException is 401 for TOKEN_EXPIRED and AUTHCODE_EXPIRED, 403
 * for USER_CREDENTIALS_CHANGED and INSUFFICIENT_PERMISSIONS (its documentation); the others carry
 * httpStatusCode 400, 429 and 500.
 */
export function statusFor(errorType: SigninErrorType, error: OAuth2ErrorCode): number {
  switch (errorType) {
    case 'ValidationException':
      return 400;
    case 'TooManyRequestsError':
      return 429;
    case 'InternalServerException':
      return 500;
    case 'AccessDeniedException':
      if (error === 'TOKEN_EXPIRED' || error === 'AUTHCODE_EXPIRED') return 401;
      if (error === 'USER_CREDENTIALS_CHANGED' || error === 'INSUFFICIENT_PERMISSIONS') return 403;
      return 400;
  }
}

export const invalidRequest = (message: string): SigninError => new SigninError('ValidationException', 'INVALID_REQUEST', message);
export const accessDenied = (error: OAuth2ErrorCode, message: string): SigninError => new SigninError('AccessDeniedException', error, message);

export function sendJson(res: ServerResponse, status: number, body: object): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    'x-amzn-RequestId': randomUUID(),
    'Cache-Control': 'no-store',
  });
  res.end(text);
}

export function sendSigninError(res: ServerResponse, err: SigninError): void {
  const text = JSON.stringify({ error: err.error, message: err.message });
  res.writeHead(err.status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    'x-amzn-RequestId': randomUUID(),
    'x-amzn-ErrorType': err.errorType,
    'Cache-Control': 'no-store',
  });
  res.end(text);
}

export function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': Buffer.byteLength(html),
    'Cache-Control': 'no-store',
    'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
    'X-Frame-Options': 'DENY',
  });
  res.end(html);
}

export function redirect(res: ServerResponse, location: string): void {
  res.writeHead(302, { Location: location, 'Cache-Control': 'no-store', 'Content-Length': 0 });
  res.end();
}

const MAX_BODY_BYTES = 64 * 1024;

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw invalidRequest('Request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export const base64url = (data: Buffer | string): string => Buffer.from(data).toString('base64url');
