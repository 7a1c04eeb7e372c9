import { describe, expect, it } from 'vitest';
import { UsageError } from '../errors/cli-error.js';
import { shellWord } from '../text/shell-word.js';
import { assertAccessKeyId, keyChangeCommand } from './apply-key-change.js';
import { pickKeyToDelete } from './key-quota.js';
import type { AccessKeyInfo } from './access-keys.js';

describe('keyChangeCommand (the fix printed in hints)', () => {
  it.each([
    [{ userName: 'alice', accessKeyId: 'AKIAIOSFODNN7EXAMPLE' }, undefined, 'awskeys iam delete-key --user alice --access-key-id AKIAIOSFODNN7EXAMPLE --yes'],
    [{ userName: 'a@b.c', accessKeyId: 'AKIAIOSFODNN7EXAMPLE' }, 'acme.prod', 'awskeys iam delete-key --user a@b.c --access-key-id AKIAIOSFODNN7EXAMPLE --yes --profile acme.prod'],
    [{ accessKeyId: 'AKIAIOSFODNN7EXAMPLE' }, "it's mine", "awskeys iam delete-key --access-key-id AKIAIOSFODNN7EXAMPLE --yes --profile 'it'\\''s mine'"],
  ])('%j with profile %s', (key, profile, command) => {
    expect(keyChangeCommand('delete', key, profile)).toBe(command);
  });

  it('quotes only what a shell would split', () => {
    expect([shellWord('a,b=c+d'), shellWord('my prof'), shellWord('$x')]).toEqual(['a,b=c+d', "'my prof'", "'$x'"]);
  });
});

describe('assertAccessKeyId', () => {
  it.each(['AKIA', 'AKIAIOSFODNN7EXAMPL!', 'AKIA IOSFODNN7EXAMPLE'])('refuses %j as a usage error', (id) => {
    expect(() => assertAccessKeyId(id)).toThrow(UsageError);
  });

  it('accepts a real-looking id', () => {
    expect(assertAccessKeyId('AKIAIOSFODNN7EXAMPLE')).toBeUndefined();
  });
});

describe('pickKeyToDelete (the key named in the quota hint)', () => {
  const key = (id: string, status: string, created: string, used?: string): AccessKeyInfo => ({
    accessKeyId: id,
    userName: 'u',
    status,
    createdAt: new Date(created),
    lastUsed: used ? { at: new Date(used), service: 'sts', region: 'us-east-1' } : undefined,
  });

  it.each([
    ['an Inactive key over an Active one', [key('A', 'Active', '2020-01-01'), key('B', 'Inactive', '2024-01-01', '2024-05-01')], 'B'],
    ['a never-used key over a used one', [key('A', 'Active', '2020-01-01', '2024-01-01'), key('B', 'Active', '2024-01-01')], 'B'],
    ['the least recently used key', [key('A', 'Active', '2020-01-01', '2024-03-01'), key('B', 'Active', '2024-01-01', '2024-02-01')], 'B'],
    ['the older key when nothing else differs', [key('B', 'Active', '2024-01-01'), key('A', 'Active', '2020-01-01')], 'A'],
  ])('prefers %s', (_what, keys, expected) => {
    expect(pickKeyToDelete(keys).accessKeyId).toBe(expected);
  });
});
