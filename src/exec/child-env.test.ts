import { describe, expect, it } from 'vitest';
import { childEnvironment } from './child-env.js';

const parent = {
  PATH: '/usr/bin',
  HOME: '/home/u',
  AWS_CONFIG_FILE: '/home/u/.aws/config',
  AWS_PROFILE: 'other',
  AWS_DEFAULT_PROFILE: 'other',
  AWS_ACCESS_KEY_ID: 'AKIAOLD',
  AWS_SECRET_ACCESS_KEY: 'old-secret',
  AWS_SESSION_TOKEN: 'stale-token',
  AWS_SECURITY_TOKEN: 'stale-token',
  AWS_CREDENTIAL_EXPIRATION: '2020-01-01T00:00:00Z',
  AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://127.0.0.1:1/old',
  AWS_CONTAINER_AUTHORIZATION_TOKEN: 'old',
  AWS_ROLE_ARN: 'arn:aws:iam::111122223333:role/other',
  AWS_WEB_IDENTITY_TOKEN_FILE: '/var/run/token',
  AWS_REGION: 'eu-west-1',
  UNDEFINED: undefined,
};

describe('childEnvironment', () => {
  it('gives the keys, token, expiry, region and marker, and removes every other credential variable', () => {
    const env = childEnvironment(
      parent,
      'dev',
      {
        kind: 'keys',
        credentials: { accessKeyId: 'ASIANEW', secretAccessKey: 'new-secret', sessionToken: 'new-token', expiration: new Date('2026-06-01T13:00:00.000Z') },
      },
      'us-east-2',
    );
    expect(env).toEqual({
      PATH: '/usr/bin',
      HOME: '/home/u',
      AWS_CONFIG_FILE: '/home/u/.aws/config',
      AWS_ACCESS_KEY_ID: 'ASIANEW',
      AWS_SECRET_ACCESS_KEY: 'new-secret',
      AWS_SESSION_TOKEN: 'new-token',
      AWS_CREDENTIAL_EXPIRATION: '2026-06-01T13:00:00Z',
      AWS_REGION: 'us-east-2',
      AWS_DEFAULT_REGION: 'us-east-2',
      AWSKEYS_PROFILE: 'dev',
    });
  });

  it('long-lived keys: no session token (not even the stale one) and no expiry; no region keeps the parent one', () => {
    const env = childEnvironment(parent, 'static', { kind: 'keys', credentials: { accessKeyId: 'AKIANEW', secretAccessKey: 's' } }, undefined);
    expect(env).toEqual({
      PATH: '/usr/bin',
      HOME: '/home/u',
      AWS_CONFIG_FILE: '/home/u/.aws/config',
      AWS_ACCESS_KEY_ID: 'AKIANEW',
      AWS_SECRET_ACCESS_KEY: 's',
      AWS_REGION: 'eu-west-1',
      AWSKEYS_PROFILE: 'static',
    });
  });

  it('--server: the endpoint and its token instead of any key', () => {
    const env = childEnvironment(parent, 'dev', { kind: 'server', url: 'http://127.0.0.1:5000/credentials', authorizationToken: 'tok' }, 'us-east-2');
    expect(env).toEqual({
      PATH: '/usr/bin',
      HOME: '/home/u',
      AWS_CONFIG_FILE: '/home/u/.aws/config',
      AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://127.0.0.1:5000/credentials',
      AWS_CONTAINER_AUTHORIZATION_TOKEN: 'tok',
      AWS_REGION: 'us-east-2',
      AWS_DEFAULT_REGION: 'us-east-2',
      AWSKEYS_PROFILE: 'dev',
    });
  });

  it('does not change the parent environment', () => {
    const copy = { ...parent };
    childEnvironment(copy, 'dev', { kind: 'keys', credentials: { accessKeyId: 'A', secretAccessKey: 'S' } }, 'us-east-1');
    expect(copy).toEqual(parent);
  });
});
