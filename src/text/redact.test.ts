import { describe, expect, it } from 'vitest';
import { MAX_DETAIL, safeDetail, safeErrorDetail } from './redact.js';

describe('safeDetail', () => {
  it.each([
    ['a plain message stays as it is', 'User alice was not found.', 'User alice was not found.'],
    ['whitespace becomes one line', '  Access\n  denied\tfor  alice \n', 'Access denied for alice'],
    ['a key id stays (it is not secret)', 'The key AKIAIOSFODNN7EXAMPLE is inactive', 'The key AKIAIOSFODNN7EXAMPLE is inactive'],
    [
      'the canonical request after the explanation is cut',
      'The request signature we calculated does not match. The Canonical String for this request should have been\n' +
        "'POST\n/\nx-amz-security-token:IQoJb3JpZ2luSESSION'",
      'The request signature we calculated does not match.',
    ],
    ['the string-to-sign is cut', "Bad signature. The String-to-Sign should have been 'AWS4-HMAC-SHA256'", 'Bad signature.'],
    ['everything after a blank line is cut', 'Bad request.\n\nbody: {"x":1}', 'Bad request.'],
    ['a blank line of spaces too', 'Bad request.\n  \nmore', 'Bad request.'],
    ['a header value', 'got x-amz-security-token:IQoJb3JpZ2luSESSION and host', 'got x-amz-security-token:*** and host'],
    ['a query-string value', 'url ?X-Amz-Security-Token=IQoJb3JpZ2lu%2BSESSION&X-Amz-Date=1', 'url ?X-Amz-Security-Token=***&X-Amz-Date=1'],
    ['an ini value', 'line aws_secret_access_key = wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', 'line aws_secret_access_key = ***'],
    ['an ini session token', 'line aws_session_token=IQoJb3JpZ2lu', 'line aws_session_token=***'],
    [
      'JSON values of every credential name',
      '{"accessKeyId":"ASIAEXAMPLE","secretAccessKey":"wJalr/K7+KEY","sessionToken":"IQoJ","SecretAccessKey": "s2",' +
        '"SessionToken":"t2","accessToken":"aoa","refreshToken":"aor","clientSecret":"cs"}',
      '{"accessKeyId":"ASIAEXAMPLE","secretAccessKey":"***","sessionToken":"***","SecretAccessKey": "***",' +
        '"SessionToken":"***","accessToken":"***","refreshToken":"***","clientSecret":"***"}',
    ],
    ['a bearer token', 'header Authorization: Bearer aoaEXAMPLETOKEN rejected', 'header Authorization: Bearer *** rejected'],
    [
      'token-shaped text without a name: an SSO access token, a secret key, a session token',
      'Token aoaAAAAAGZ2E9kQbP4x1vWcYt3nR8sLmJqH0uFiD7oKyXeN5zUjT6gVrB2hCl is invalid; key wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY1 and IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJH',
      'Token *** is invalid; key *** and ***',
    ],
    [
      'file paths stay',
      "Cannot find module '/tmp/awskeys-partial-w5grOZ/dist/full/full-entry.js' imported from /tmp/awskeys-partial-w5grOZ/dist/entry.cjs",
      "Cannot find module '/tmp/awskeys-partial-w5grOZ/dist/full/full-entry.js' imported from /tmp/awskeys-partial-w5grOZ/dist/entry.cjs",
    ],
    ['a JWT-like client secret', 'client eyJraWQiOiJrZXktMSIsImFsZyI6IkhTMzg0In0.eyJzZXJpYWxpemVkIjoi.sig rejected', 'client *** rejected'],
    [
      'hex digests, UUIDs, ARNs and key ids stay',
      'file 0ad374308c5a4e22f723adf10145eafad7c4031c request 3593bb11-1a2b-4c3d-9e8f-0123456789ab role arn:aws:iam::111122223333:role/Admin key ASIAIOSFODNN7EXAMPLE',
      'file 0ad374308c5a4e22f723adf10145eafad7c4031c request 3593bb11-1a2b-4c3d-9e8f-0123456789ab role arn:aws:iam::111122223333:role/Admin key ASIAIOSFODNN7EXAMPLE',
    ],
    ['a word that only names a credential stays', 'The accessToken is expired or invalid.', 'The accessToken is expired or invalid.'],
  ])('%s', (_, text, expected) => {
    expect(safeDetail(text)).toBe(expected);
  });

  it(`keeps at most ${MAX_DETAIL} characters, ending in an ellipsis`, () => {
    const shown = safeDetail('x'.repeat(1000));
    expect(shown).toBe(`${'x'.repeat(MAX_DETAIL - 1)}…`);
    expect(shown).toHaveLength(MAX_DETAIL);
  });

  it('redacts before it cuts, so no part of a secret at the edge survives', () => {
    const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    const text = `${'y'.repeat(MAX_DETAIL - 30)} clientSecret=${secret}`;
    const shown = safeDetail(text);
    expect(shown).toBe(`${'y'.repeat(MAX_DETAIL - 30)} clientSecret=***`);
    expect(shown).not.toContain(secret.slice(0, 8));
  });
});

describe('safeErrorDetail', () => {
  it("says only 'invalid JSON in a response' for a SyntaxError, whatever it quotes", () => {
    const err = new SyntaxError('Unexpected token \'B\', ..."KEY","sessionToken":"IQoJb3JpZ2lu",BROKEN" is not valid JSON');
    expect(safeErrorDetail(err)).toBe('invalid JSON in a response');
  });

  it("is the error's safe message otherwise, or the given text in its place", () => {
    expect(safeErrorDetail(new Error('refreshToken=aor-1 was\n\nrejected'))).toBe('refreshToken=*** was');
    expect(safeErrorDetail(new Error('UnknownError'), 'Device code expired')).toBe('Device code expired');
    expect(safeErrorDetail('thrown text')).toBe('thrown text');
  });
});
