import {
  CreateAccessKeyCommand,
  CreateUserCommand,
  IAMClient,
  ListAccessKeysCommand,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { tempHome } from './support/temp-home.js';

/**
 * Shared set-up for the IAM tests: moto is one server for every test file, so each test makes its
 * own users with unique names. The admin client talks to moto directly (explicit endpoint, moto's
 * "testing" keys); the code under test finds moto only through AWS_ENDPOINT_URL_IAM/STS.
 */
export function motoUrl(): string {
  return inject('motoUrl');
}

/** The environment of an admin caller whose requests go to moto. */
export function motoEnv(): Record<string, string> {
  return {
    AWS_ENDPOINT_URL_IAM: motoUrl(),
    AWS_ENDPOINT_URL_STS: motoUrl(),
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_REGION: 'us-east-1',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}

/**
 * A temp HOME whose credentials file already holds `credentials` (~/.aws 0700, the file 0600), and
 * its env with moto's endpoints and admin keys: `dir` is HOME.
 */
export async function motoHome(credentials: string): Promise<{ dir: string; credentials: string; env: Record<string, string> }> {
  const h = await tempHome({ credentials, modes: 'private' });
  return { dir: h.home, credentials: h.credentials, env: { ...h.env, ...motoEnv() } };
}

export function adminIam(): IAMClient {
  return new IAMClient({
    endpoint: motoUrl(),
    region: 'us-east-1',
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  });
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

export async function createUser(prefix: string): Promise<string> {
  const name = uniqueName(prefix);
  await adminIam().send(new CreateUserCommand({ UserName: name }));
  return name;
}

export async function createKey(userName: string): Promise<{ accessKeyId: string; secretAccessKey: string; createdAt: Date }> {
  const out = await adminIam().send(new CreateAccessKeyCommand({ UserName: userName }));
  const key = out.AccessKey;
  if (!key?.AccessKeyId || !key.SecretAccessKey || !key.CreateDate) throw new Error('moto returned no key');
  return { accessKeyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey, createdAt: key.CreateDate };
}

export async function deactivate(userName: string, accessKeyId: string): Promise<void> {
  await adminIam().send(new UpdateAccessKeyCommand({ UserName: userName, AccessKeyId: accessKeyId, Status: 'Inactive' }));
}

/** The user's keys as moto has them: id -> status. */
export async function keysOf(userName: string): Promise<Record<string, string>> {
  const out = await adminIam().send(new ListAccessKeysCommand({ UserName: userName }));
  return Object.fromEntries((out.AccessKeyMetadata ?? []).map((k) => [k.AccessKeyId ?? '?', k.Status ?? '?']));
}

/** Signs one STS call with the key, so moto records it as used (service "sts", us-east-1). */
export async function useKey(key: { accessKeyId: string; secretAccessKey: string }): Promise<string> {
  const sts = new STSClient({ endpoint: motoUrl(), region: 'us-east-1', credentials: key });
  const out = await sts.send(new GetCallerIdentityCommand({}));
  return out.Arn ?? '';
}

export const DAY = 86_400_000;
