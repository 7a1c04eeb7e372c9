import { createPublicKey, verify, type JsonWebKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { dpopKeyFromPem, dpopProof, newDpopKey } from './dpop.js';

function parts(proof: string): { header: Record<string, unknown>; payload: Record<string, unknown>; input: string; signature: Buffer } {
  const [h = '', p = '', s = ''] = proof.split('.');
  return {
    header: JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as Record<string, unknown>,
    payload: JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as Record<string, unknown>,
    input: `${h}.${p}`,
    signature: Buffer.from(s, 'base64url'),
  };
}

describe('DPoP proofs for CreateOAuth2Token', () => {
  const key = newDpopKey();
  const proof = dpopProof(key, 'POST', 'https://us-east-1.oauth.signin.aws/v1/token', new Date('2026-12-07T07:00:00.900Z'), 'jti-1');
  const { header, payload, input, signature } = parts(proof);

  it('carry the header and claims botocore sends, in its order, without padding', () => {
    expect(proof).not.toContain('=');
    expect(Object.keys(header)).toEqual(['typ', 'alg', 'jwk']);
    expect(header).toMatchObject({ typ: 'dpop+jwt', alg: 'ES256', jwk: { kty: 'EC', crv: 'P-256' } });
    expect(payload).toEqual({ htm: 'POST', htu: 'https://us-east-1.oauth.signin.aws/v1/token', iat: 1796626800, jti: 'jti-1' });
  });

  it('verify with the public key in their own jwk (raw r||s, 64 bytes)', () => {
    expect(signature.length).toBe(64);
    const publicKey = createPublicKey({ key: header.jwk as JsonWebKey, format: 'jwk' });
    expect(verify('sha256', Buffer.from(input), { key: publicKey, dsaEncoding: 'ieee-p1363' }, signature)).toBe(true);
    expect(verify('sha256', Buffer.from(`${input}x`), { key: publicKey, dsaEncoding: 'ieee-p1363' }, signature)).toBe(false);
  });

  it('come from a fresh P-256 key per login, stored as PEM EC PRIVATE KEY and read back', () => {
    expect(key.pem).toMatch(/^-----BEGIN EC PRIVATE KEY-----\n[A-Za-z0-9+/=\n]+-----END EC PRIVATE KEY-----\n$/);
    expect(newDpopKey().pem).not.toBe(key.pem);
    const again = dpopKeyFromPem(key.pem);
    const other = parts(dpopProof(again, 'POST', 'http://127.0.0.1:1/v1/token', new Date()));
    expect(other.header.jwk).toEqual(header.jwk);
  });

  it('refuse a cache key that is not EC P-256', () => {
    expect(() => dpopKeyFromPem('-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n')).toThrow();
  });
});
