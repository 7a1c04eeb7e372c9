import { awsFilePaths } from '../../aws-files/paths.js';
import { createAccessKey, type CreatedKey } from '../../iam/create-key.js';
import { configureImportProblem, profileNameForUser } from '../../iam/key-csv.js';
import { localKeyUsers } from '../../iam/local-key-users.js';
import { infoLines, warningLine } from '../../app/reporter.js';
import { shellWord } from '../../text/shell-word.js';
import { assertSourceProfileExists } from '../../iam/source-profile.js';
import { runCritical } from '../critical-section.js';
import type { Deps } from '../../app/deps.js';
import { storeFromEnv, type KeyStore } from '../../iam/key-store.js';
import { vaultTargets } from './vault-targets.js';

export async function createKeyCommand(flags: CreateKeyFlags, deps: Deps): Promise<void> {
  const log = infoLines(deps.report);
  await assertSourceProfileExists({ profile: flags.profile, env: deps.env, homeDir: deps.homeDir });
  const paths = awsFilePaths(deps.env, deps.homeDir);
  const key = await createAccessKey(
    {
      iam: await deps.aws.iam({ profile: flags.profile }),
      prompter: deps.prompter,
      clock: deps.clock,
      credentialsPath: paths.credentials,
      configPath: paths.config,
      cwd: deps.cwd,
      log,
      localUsers: (keyId) => localKeyUsers(keyId, paths, deps.env),
      signal: deps.signal,
      stdout: (text) => (deps.stdout.writeSync ? deps.stdout.writeSync(text) : deps.stdout.write(text)),
      critical: runCritical,
      vault: vaultTargets(deps, paths),
    },
    {
      user: flags.user,
      sourceProfile: flags.profile,
      writeProfile: flags.writeProfile,
      csvFile: flags.csvFile,
      format: flags.format,
      force: flags.force,
      store: flags.store,
      defaultStore: flags.store === undefined ? storeFromEnv(deps.env) : undefined,
    },
  );
  log(`Created access key ${key.accessKeyId} for IAM user "${key.userName}".`);
  for (const line of summary(key)) log(line);
}

function summary(key: CreatedKey): string[] {
  return key.stored.flatMap((s) => {
    switch (s.kind) {
      case 'profile':
        return [
          `Stored it as profile "${s.name}" in ${s.path}${s.created ? ' (new file, mode 0600)' : ''}.`,
          ...s.warnings.map(warningLine),
          `Try it: aws sts get-caller-identity --profile ${shellWord(s.name)}`,
        ];
      case 'vault':
        return [
          `Stored it in ${s.location} as vault profile "${s.name}"; the AWS CLI and SDKs read it through the credential_process line in ${s.configPath}.`,
          ...s.warnings.map(warningLine),
          `Try it: aws sts get-caller-identity --profile ${shellWord(s.name)}`,
        ];
      case 'csv':
        return [csvSummary(s.path, key.userName)];
    }
  });
}

/** Where the CSV went, and how to import it: with the AWS CLI when it reads the name right (key-csv.ts). */
function csvSummary(path: string, userName: string): string {
  const problem = configureImportProblem(userName);
  if (problem === undefined) return `Wrote it to ${path} (mode 0600); import it with: aws configure import --csv ${shellWord(`file://${path}`)}`;
  return `Wrote it to ${path} (mode 0600); not importable with the AWS CLI (${problem}); import it with: awskeys iam import --csv ${shellWord(path)} --profile ${shellWord(profileNameForUser(userName))}`;
}

export interface CreateKeyFlags {
  user?: string;
  profile?: string;
  writeProfile?: string;
  csvFile?: string;
  format?: 'env' | 'json' | 'csv';
  force?: boolean;
  store?: KeyStore;
}
