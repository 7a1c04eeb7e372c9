import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { inject } from 'vitest';

export interface TempHomeOptions {
  /** The text of ~/.aws/config; no file without it. */
  config?: string | Buffer;
  /** The text of ~/.aws/credentials; no file without it. */
  credentials?: string | Buffer;
  /**
   * `private`: ~/.aws 0700 and its files 0600, as `aws configure` leaves them. `umask` (default):
   * what this process's umask gives (0755 and 0644 under the usual 022), as a hand-made ~/.aws has.
   */
  modes?: 'private' | 'umask';
  /** Makes ~/.aws even when no file is written into it. */
  awsDir?: boolean;
}

export interface TempHome {
  home: string;
  /** HOME, AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE, all inside `home`. */
  env: Record<string, string>;
  /** ~/.aws/config's path (AWS_CONFIG_FILE), whether or not it exists. */
  config: string;
  /** ~/.aws/credentials' path (AWS_SHARED_CREDENTIALS_FILE), whether or not it exists. */
  credentials: string;
}

/**
 * The one temp-HOME builder of the test kit: a fresh folder, the env that points every AWS file
 * inside it, and the files asked for. Homes live under the run's folder (global-setup.ts), which
 * is removed when the run ends.
 */
export async function tempHome(options: TempHomeOptions = {}): Promise<TempHome> {
  const home = await mkdtemp(join(inject('tempRoot'), 'home-'));
  const aws = join(home, '.aws');
  const config = join(aws, 'config');
  const credentials = join(aws, 'credentials');
  const { config: configText, credentials: credentialsText, modes = 'umask' } = options;
  const fileMode = modes === 'private' ? { mode: 0o600 } : {};
  if (options.awsDir === true || configText !== undefined || credentialsText !== undefined) {
    await mkdir(aws, modes === 'private' ? { mode: 0o700 } : {});
  }
  if (configText !== undefined) await writeFile(config, configText, fileMode);
  if (credentialsText !== undefined) await writeFile(credentials, credentialsText, fileMode);
  return { home, config, credentials, env: { HOME: home, AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: credentials } };
}
