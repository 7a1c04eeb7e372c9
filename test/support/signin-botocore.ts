import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

/**
 * botocore's own LoginProvider (botocore.credentials) resolving a `login_session` profile: it
 * renews through CreateOAuth2Token when the cache has less than 5 minutes left and writes the
 * cache back. botocore takes its EC primitives from `awscrt.crypto.EC` (awscrt >= 0.28.4 on PyPI);
 * Debian's python3-awscrt is 0.16.8, whose awscrt.crypto has only Hash and HMAC, so botocore's
 * `EC` is None there and LoginProvider refuses (MissingDependencyException). Where EC is None
 * the four EC calls botocore makes (load the DER key, public coordinates, sign a digest, DER ->
 * r||s) come from the `cryptography` package; every other line (cache read and write, the DPoP
 * header and claims, the rest-json wire, error parsing, the 5-minute threshold) is botocore's.
 * Asynchronous: the emulator answering it runs in the test's own event loop.
 */
const SCRIPT = String.raw`
import json, sys, botocore.credentials as bc, botocore.session
if bc.EC is None:
    from cryptography.hazmat.primitives.asymmetric import ec, utils
    from cryptography.hazmat.primitives import hashes, serialization
    class EC:
        def __init__(self, key): self._key = key
        @staticmethod
        def new_key_from_der_data(der): return EC(serialization.load_der_private_key(der, None))
        def get_public_coords(self):
            n = self._key.public_key().public_numbers()
            return n.x.to_bytes(32, 'big'), n.y.to_bytes(32, 'big')
        def sign(self, digest): return self._key.sign(digest, ec.ECDSA(utils.Prehashed(hashes.SHA256())))
        @staticmethod
        def decode_der_signature_to_padded_pair(sig, pad_to):
            r, s = utils.decode_dss_signature(sig)
            return r.to_bytes(pad_to, 'big') + s.to_bytes(pad_to, 'big')
    bc.EC = EC
session = botocore.session.Session(profile=sys.argv[1])
try:
    creds = session.get_credentials().get_frozen_credentials()
    print(json.dumps({'accessKeyId': creds.access_key, 'secretAccessKey': creds.secret_key, 'sessionToken': creds.token}))
except Exception as e:
    cause = e.__cause__
    print(json.dumps({'exception': type(e).__name__, 'cause': type(cause).__name__ if cause else None,
                      'code': getattr(cause, 'response', {}).get('Error', {}).get('Code') if cause else None,
                      'error': getattr(cause, 'response', {}).get('error') if cause else None}))
`;

export type BotocoreLoginResult =
  | { accessKeyId: string; secretAccessKey: string; sessionToken: string }
  | { exception: string; cause: string | null; code: string | null; error: string | null };

/** Runs botocore on `profile` with exactly `env` (HOME, AWS_CONFIG_FILE, AWS_LOGIN_CACHE_DIRECTORY, AWS_ENDPOINT_URL_SIGNIN...). */
export async function botocoreLoginCredentials(profile: string, env: Record<string, string>): Promise<BotocoreLoginResult> {
  const { stdout } = await promisify(execFile)('python3', ['-c', SCRIPT, profile], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', LANG: 'C.UTF-8', ...env },
  });
  return JSON.parse(stdout) as BotocoreLoginResult;
}
