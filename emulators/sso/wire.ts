import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * The two wire dialects of these services (protocol-reference §1.5 and §2). SDKs pick the exception
 * from the x-amzn-ErrorType header, never from the body, so every error carries it.
 */
export class WireError extends Error {
  constructor(
    readonly status: number,
    readonly errorType: string,
    readonly body: object,
  ) {
    super(`${errorType} (${status})`);
  }
}

const OIDC_ERROR_SUFFIX = ':http://internal.amazon.com/coral/com.amazonaws.sso.oidc/';

/** An SSO-OIDC error: `{"error":"snake_case","error_description":"..."}`, 401 for InvalidClient. */
export function oidcError(errorType: string, description: string, extra: object = {}): WireError {
  return new WireError(oidcStatus(errorType), errorType, {
    error: snakeErrorCode(errorType),
    error_description: description,
    ...extra,
  });
}

/** A portal error: `{"message":"..."}` plus the `__type` the real service adds. */
export function portalError(status: number, errorType: string, message: string): WireError {
  return new WireError(status, errorType, { message, __type: `com.amazonaws.switchboard.portal#${errorType}` });
}

export function oidcStatus(errorType: string): number {
  if (errorType === 'InvalidClientException') return 401;
  if (errorType === 'InternalServerException') return 500;
  return 400;
}

/** AuthorizationPendingException -> authorization_pending; InternalServerException -> server_error. */
export function snakeErrorCode(errorType: string): string {
  if (errorType === 'InternalServerException') return 'server_error';
  return errorType
    .replace(/Exception$/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

export function sendJson(res: ServerResponse, status: number, body: object | undefined): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    'x-amzn-RequestId': randomUUID(),
  });
  res.end(text);
}

export function sendError(
  res: ServerResponse,
  err: WireError,
  dialect: 'oidc' | 'portal',
  extraHeaders: Record<string, string> = {},
): void {
  const text = JSON.stringify(err.body);
  res.writeHead(err.status, {
    ...extraHeaders,
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    'x-amzn-RequestId': randomUUID(),
    'x-amzn-ErrorType': dialect === 'oidc' ? `${err.errorType}${OIDC_ERROR_SUFFIX}` : err.errorType,
  });
  res.end(text);
}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Parses a JSON request body; anything that is not a JSON object is a serialization error. */
export function parseJsonObject(text: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  try {
    const doc: unknown = JSON.parse(text);
    if (doc && typeof doc === 'object' && !Array.isArray(doc)) return doc as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw oidcError('InvalidRequestException', 'Request body is not a valid JSON object');
}
