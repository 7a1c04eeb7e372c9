import { awsFilePaths } from '../../aws-files/paths.js';
import { createAccessKey, type CreatedKey } from '../../iam/create-key.js';
import { shellWord } from '../../shell-word.js';
import { renderAccessKeyCsv } from '../../iam/key-csv.js';
import { assertSourceProfileExists } from '../../iam/source-profile.js';
import { renderCredentials } from '../../output/formats.js';
import type { Deps } from '../../deps.js';
import type { CreateKeyFlags } from './iam.cli.js';

export async function createKeyCommand(flags: CreateKeyFlags, deps: Deps): Promise<void> {
  const log = (line: string) => deps.stderr.write(`${line}\n`);
  await assertSourceProfileExists({ profile: flags.profile, env: deps.env, homeDir: deps.homeDir });
  const key = await createAccessKey(
    {
      iam: await deps.aws.iam({ profile: flags.profile }),
      prompter: deps.prompter,
      clock: deps.clock,
      credentialsPath: awsFilePaths(deps.env, deps.homeDir).credentials,
      cwd: deps.cwd,
      log,
      signal: deps.signal,
    },
    {
      user: flags.user,
      sourceProfile: flags.profile,
      writeProfile: flags.writeProfile,
      csvFile: flags.csvFile,
      format: flags.format,
      force: flags.force,
    },
  );
  log(`Created access key ${key.accessKeyId} for IAM user "${key.userName}".`);
  for (const line of summary(key)) log(line);
  if (key.format !== undefined) deps.stdout.write(render(key, key.format));
}

function summary(key: CreatedKey): string[] {
  return key.stored.flatMap((s) =>
    s.kind === 'profile'
      ? [
          `Stored it as profile "${s.name}" in ${s.path}${s.created ? ' (new file, mode 0600)' : ''}.`,
          ...s.warnings.map((w) => `warning: ${w}`),
          `Try it: aws sts get-caller-identity --profile ${shellWord(s.name)}`,
        ]
      : [`Wrote it to ${s.path} (mode 0600); import it with: aws configure import --csv ${shellWord(`file://${s.path}`)}`],
  );
}

function render(key: CreatedKey, format: 'env' | 'json' | 'csv'): string {
  if (format === 'csv') return renderAccessKeyCsv(key);
  return renderCredentials({ accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey }, format === 'env' ? 'sh' : 'json');
}
