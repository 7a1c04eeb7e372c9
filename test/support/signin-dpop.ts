import { createHash, generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';

/** A fresh EC P-256 DPoP key as `aws login` makes one: the PEM (SEC1 "EC PRIVATE KEY") the cache holds and the public JWK. */
export interface DpopKey {
  privateKey: KeyObject;
  pem: string;
  jwk: { kty: 'EC'; crv: 'P-256'; x: string; y: string };
}

export function makeDpopKey(): DpopKey {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const pub = publicKey.export({ format: 'jwk' });
  return {
    privateKey,
    pem: privateKey.export({ format: 'pem', type: 'sec1' }).toString(),
    jwk: { kty: 'EC', crv: 'P-256', x: pub.x ?? '', y: pub.y ?? '' },
  };
}

/** An RFC 9449 proof, written here independently of the emulator (ES256, raw r||s). */
export function dpopProof(key: DpopKey, htu: string, claims: { htm?: string; iat?: number; jti?: string } = {}): string {
  const b64 = (doc: object): string => Buffer.from(JSON.stringify(doc)).toString('base64url');
  const header = b64({ typ: 'dpop+jwt', alg: 'ES256', jwk: key.jwk });
  const payload = b64({ htm: claims.htm ?? 'POST', htu, iat: claims.iat ?? Math.floor(Date.now() / 1000), jti: claims.jti ?? randomUUID() });
  const signature = sign('sha256', Buffer.from(`${header}.${payload}`), { key: key.privateKey, dsaEncoding: 'ieee-p1363' });
  return `${header}.${payload}.${signature.toString('base64url')}`;
}

/** PKCE as the AWS CLI makes it: a 64-character verifier, the SHA-256 challenge in base64url without padding. */
export function makePkce(): { verifier: string; challenge: string } {
  const verifier = randomUUID().replace(/-/g, '') + randomUUID().replace(/-/g, '');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}
