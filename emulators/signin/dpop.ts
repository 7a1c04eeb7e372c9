import { createHash, createPublicKey, verify } from 'node:crypto';
import type { JsonWebKeyLike } from './types.js';
import { invalidRequest } from './wire.js';

/** What a verified proof tells the token endpoint: the key's RFC 7638 thumbprint (cnf.jkt). */
export interface VerifiedProof {
  jkt: string;
}

export interface ProofCheck {
  /** The request's method and endpoint URL (scheme://host[:port]/path), which htm/htu must name. */
  method: string;
  url: string;
  nowMs: number;
  iatWindowSeconds: number;
  /** Records a jti; false when it was seen before (a replayed proof). */
  rememberJti(jti: string, untilMs: number): boolean;
}

/**
 * Verifies an RFC 9449 DPoP proof the way the Sign-In service needs it: one compact JWS with
 * typ dpop+jwt, alg ES256 and the public EC P-256 key in the header, signed (raw r||s) over
 * "header.payload", naming this request's method and URL, recent, and never seen before.
 */
export function verifyDpopProof(header: string | string[] | undefined, check: ProofCheck): VerifiedProof {
  if (header === undefined) throw invalidRequest('Missing DPoP proof');
  if (Array.isArray(header) || header.includes(',')) throw invalidRequest('Exactly one DPoP proof is allowed');
  const parts = header.split('.');
  if (parts.length !== 3) throw invalidRequest('DPoP proof is not a compact JWS');
  const [headerB64 = '', payloadB64 = '', signatureB64 = ''] = parts;
  const jose = decodeJson(headerB64, 'header');
  const claims = decodeJson(payloadB64, 'payload');

  if (jose.typ !== 'dpop+jwt') throw invalidRequest('DPoP proof typ must be dpop+jwt');
  if (jose.alg !== 'ES256') throw invalidRequest('DPoP proof alg must be ES256');
  const jwk = publicJwk(jose.jwk);

  const signature = Buffer.from(signatureB64, 'base64url');
  if (signature.length !== 64) throw invalidRequest('DPoP proof signature must be 64 bytes (r||s)');
  let valid = false;
  try {
    const key = createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y }, format: 'jwk' });
    valid = verify('sha256', Buffer.from(`${headerB64}.${payloadB64}`), { key, dsaEncoding: 'ieee-p1363' }, signature);
  } catch {
    throw invalidRequest('DPoP proof jwk is not a valid P-256 public key');
  }
  if (!valid) throw invalidRequest('DPoP proof signature does not verify');

  if (claims.htm !== check.method) throw invalidRequest('DPoP proof htm does not match the request method');
  if (typeof claims.htu !== 'string' || withoutQuery(claims.htu) !== check.url) {
    throw invalidRequest('DPoP proof htu does not match the request URL');
  }
  if (typeof claims.iat !== 'number' || !Number.isFinite(claims.iat)) throw invalidRequest('DPoP proof iat is missing');
  if (Math.abs(claims.iat * 1000 - check.nowMs) > check.iatWindowSeconds * 1000) {
    throw invalidRequest('DPoP proof iat is outside the acceptable window');
  }
  if (typeof claims.jti !== 'string' || claims.jti === '' || claims.jti.length > 256) throw invalidRequest('DPoP proof jti is missing');
  if (!check.rememberJti(claims.jti, claims.iat * 1000 + check.iatWindowSeconds * 1000)) {
    throw invalidRequest('DPoP proof jti has already been used');
  }
  return { jkt: jwkThumbprint(jwk) };
}

/** RFC 7638: SHA-256 over the required members in lexicographic order, no whitespace. */
export function jwkThumbprint(jwk: { x: string; y: string }): string {
  const canonical = JSON.stringify({ crv: 'P-256', kty: 'EC', x: jwk.x, y: jwk.y });
  return createHash('sha256').update(canonical).digest('base64url');
}

export function publicJwk(value: unknown): { x: string; y: string } {
  const jwk = (value ?? {}) as JsonWebKeyLike & { d?: unknown };
  if (typeof value !== 'object' || value === null) throw invalidRequest('DPoP proof header has no jwk');
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256') throw invalidRequest('DPoP proof jwk must be an EC P-256 key');
  if (jwk.d !== undefined) throw invalidRequest('DPoP proof jwk must not contain a private key');
  if (typeof jwk.x !== 'string' || typeof jwk.y !== 'string') throw invalidRequest('DPoP proof jwk has no coordinates');
  return { x: jwk.x, y: jwk.y };
}

function decodeJson(part: string, what: string): Record<string, unknown> {
  try {
    const doc: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    if (doc && typeof doc === 'object' && !Array.isArray(doc)) return doc as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw invalidRequest(`DPoP proof ${what} is not a JSON object`);
}

/** RFC 9449 4.3: htu is compared without query and fragment. */
function withoutQuery(url: string): string {
  const cut = url.search(/[?#]/);
  return cut === -1 ? url : url.slice(0, cut);
}
