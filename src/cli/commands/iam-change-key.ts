import { awsFilePaths } from '../../aws-files/paths.js';
import { changeAccessKey } from '../../iam/change-key.js';
import { localKeyUsers } from '../../iam/local-key-users.js';
import type { KeyChange } from '../../iam/apply-key-change.js';
import { assertSourceProfileExists } from '../../iam/source-profile.js';
import type { Deps } from '../../app/deps.js';

export async function changeKeyCommand(change: KeyChange, flags: ChangeKeyFlags, deps: Deps): Promise<void> {
  await assertSourceProfileExists({ profile: flags.profile, env: deps.env, homeDir: deps.homeDir });
  const done = await changeAccessKey(
    {
      iam: await deps.aws.iam({ profile: flags.profile }),
      prompter: deps.prompter,
      signal: deps.signal,
      localUsers: (keyId) => localKeyUsers(keyId, awsFilePaths(deps.env, deps.homeDir), deps.env),
    },
    change,
    { accessKeyId: flags.accessKeyId, userName: flags.user, yes: flags.yes, evenIfUsed: flags.evenIfUsed },
  );
  deps.report.info(done);
}

export interface ChangeKeyFlags {
  accessKeyId: string;
  user?: string;
  profile?: string;
  yes?: boolean;
  evenIfUsed?: boolean;
}
