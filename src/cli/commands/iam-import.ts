import { infoLines } from '../../app/reporter.js';
import { resolve } from 'node:path';
import { awsFilePaths } from '../../aws-files/paths.js';
import { importAccessKey } from '../../iam/import/import-key.js';
import { shellWord } from '../../text/shell-word.js';
import type { Deps } from '../../app/deps.js';
import { storeFromEnv, type KeyStore } from '../../iam/key-store.js';
import { vaultTargets } from './vault-targets.js';

export async function importCommand(flags: ImportFlags, deps: Deps): Promise<void> {
  const log = infoLines(deps.report);
  const csvPath = resolve(deps.cwd, flags.csv);
  const paths = awsFilePaths(deps.env, deps.homeDir);
  const store = flags.store ?? storeFromEnv(deps.env) ?? 'credentials';
  const vault = store === 'credentials' ? undefined : await vaultTargets(deps, paths)(store);
  const done = await importAccessKey({ paths, prompter: deps.prompter, clock: deps.clock, signal: deps.signal, vault }, { csvPath, profile: flags.profile, force: flags.force });
  const whose = done.userName === undefined ? '' : ` (IAM user "${done.userName}")`;
  const profile = shellWord(done.profile);
  const where = done.configPath === undefined ? `profile ${done.profile} in ${done.path}` : `vault profile ${done.profile} in ${done.path}`;
  if (!done.changed) {
    log(`${where.replace(/^./, (c) => c.toUpperCase())} already holds access key ${done.accessKeyId}${whose}; nothing changed.`);
    return;
  }
  log(`Imported access key ${done.accessKeyId}${whose} into ${where}${done.created ? ' (new file, mode 0600)' : ''}.`);
  if (done.configPath !== undefined) log(`The AWS CLI and SDKs read it through the credential_process line in ${done.configPath}.`);
  for (const warning of done.warnings) deps.report.warn(warning);
  log(`Try it: aws sts get-caller-identity --profile ${profile}`);
  if (!csvPath.startsWith('/dev/')) log(`${csvPath} still holds the secret: delete it once the profile works.`);
}

export interface ImportFlags {
  csv: string;
  profile: string;
  force?: boolean;
  store?: KeyStore;
}
