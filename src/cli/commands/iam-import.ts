import { infoLines } from '../../app/reporter.js';
import { resolve } from 'node:path';
import { awsFilePaths } from '../../aws-files/paths.js';
import { importAccessKey } from '../../iam/import/import-key.js';
import { shellWord } from '../../text/shell-word.js';
import type { Deps } from '../../app/deps.js';

export async function importCommand(flags: ImportFlags, deps: Deps): Promise<void> {
  const log = infoLines(deps.report);
  const csvPath = resolve(deps.cwd, flags.csv);
  const done = await importAccessKey(
    { paths: awsFilePaths(deps.env, deps.homeDir), prompter: deps.prompter, clock: deps.clock, signal: deps.signal },
    { csvPath, profile: flags.profile, force: flags.force },
  );
  const whose = done.userName === undefined ? '' : ` (IAM user "${done.userName}")`;
  const profile = shellWord(done.profile);
  if (!done.changed) {
    log(`Profile ${done.profile} in ${done.path} already holds access key ${done.accessKeyId}${whose}; nothing changed.`);
    return;
  }
  log(`Imported access key ${done.accessKeyId}${whose} into profile ${done.profile} in ${done.path}${done.created ? ' (new file, mode 0600)' : ''}.`);
  for (const warning of done.warnings) deps.report.warn(warning);
  log(`Try it: aws sts get-caller-identity --profile ${profile}`);
  if (!csvPath.startsWith('/dev/')) log(`${csvPath} still holds the secret: delete it once the profile works.`);
}

export interface ImportFlags {
  csv: string;
  profile: string;
  force?: boolean;
}
