import { changeAccessKey } from '../../iam/change-key.js';
import type { KeyChange } from '../../iam/key-changes.js';
import type { Deps } from '../deps.js';
import type { ChangeKeyFlags } from './iam.cli.js';

export async function changeKeyCommand(change: KeyChange, flags: ChangeKeyFlags, deps: Deps): Promise<void> {
  const done = await changeAccessKey(
    { iam: await deps.aws.iam({ profile: flags.profile }), prompter: deps.prompter },
    change,
    { accessKeyId: flags.accessKeyId, userName: flags.user, yes: flags.yes },
  );
  deps.stderr.write(`${done}\n`);
}
