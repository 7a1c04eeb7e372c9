import { createPrivateKey, generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';

/**
 * DPoP (RFC 9449) for the Sign-In service's CreateOAuth2Token: every login makes a fresh EC P-256
 * key, kept in the login cache as PEM "EC PRIVATE KEY" (SEC1, as the AWS CLI stores it), and every
 * token request carries a proof signed with it. The proof is the one botocore builds
 * (_build_dpop_header): header {typ: dpop+jwt, alg: ES256, jwk {kty, x, y, crv}}, payload
 * {htm, htu, iat, jti}, compact JSON, base64url without padding, the raw r||s signature.
 */
export interface DpopKey {
  key: KeyObject;
  /** For the cache file's `dpopKey`. */
  pem: string;
}

export function newDpopKey(): DpopKey {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return { key: privateKey, pem: privateKey.export({ type: 'sec1', format: 'pem' }).toString() };
}

/** The key of a cache file's `dpopKey` (the AWS CLI's, botocore's or ours). Throws on anything else. */
export function dpopKeyFromPem(pem: string): DpopKey {
  const key = createPrivateKey({ key: pem, format: 'pem' });
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new Error('the DPoP key is not an EC P-256 key');
  }
  return { key, pem };
}

/** `htu` is the request's URL without query or fragment: scheme://host[:port]/path. */
export function dpopProof(key: DpopKey, method: string, htu: string, now: Date, jti: string = randomUUID()): string {
  const jwk = key.key.export({ format: 'jwk' });
  const header = { typ: 'dpop+jwt', alg: 'ES256', jwk: { kty: 'EC', x: jwk.x, y: jwk.y, crv: 'P-256' } };
  const payload = { htm: method, htu, iat: Math.floor(now.getTime() / 1000), jti };
  const input = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
  const signature = sign('sha256', Buffer.from(input, 'ascii'), { key: key.key, dsaEncoding: 'ieee-p1363' });
  return `${input}.${signature.toString('base64url')}`;
}

function base64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}
