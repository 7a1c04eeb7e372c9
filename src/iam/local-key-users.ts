import type { AwsFilePaths } from '../aws-files/paths.js';
import { readAwsFiles } from '../aws-files/profiles.js';
import { sectionsHoldingKey } from './rotation/key-holders.js';

/**
 * Who on this machine signs with an access key: the profiles of the AWS files that hold its id,
 * and AWS_ACCESS_KEY_ID in the environment. Deleting or deactivating such a key breaks them, so
 * that is never done without saying so and an explicit confirmation.
 */
export async function localKeyUsers(keyId: string, paths: AwsFilePaths, env: NodeJS.ProcessEnv): Promise<string[]> {
  const files = await readAwsFiles(paths);
  const profiles = new Set<string>();
  for (const kind of ['credentials', 'config'] as const) {
    for (const holder of sectionsHoldingKey(files[kind], kind, keyId)) profiles.add(`profile ${holder.profile}`);
  }
  const users = [...profiles];
  if (env.AWS_ACCESS_KEY_ID === keyId) users.push('AWS_ACCESS_KEY_ID in this environment');
  return users;
}

/** "profile a, profile b and AWS_ACCESS_KEY_ID in this environment" */
export function describeUsers(users: readonly string[]): string {
  if (users.length <= 1) return users.join('');
  return `${users.slice(0, -1).join(', ')} and ${users.at(-1) ?? ''}`;
}
