import { infoLines } from '../../app/reporter.js';
import { awsFilePaths } from '../../aws-files/paths.js';
import { nonEmpty } from '../../resolve/hints.js';
import { rotateAccessKey } from '../../iam/rotation/rotate-key.js';
import { runCritical } from '../critical-section.js';
import type { Deps } from '../../app/deps.js';

export async function rotateCommand(flags: RotateFlags, deps: Deps): Promise<void> {
  // As every AWS tool: --profile, else AWS_PROFILE, else `default`.
  const profile = flags.profile ?? nonEmpty(deps.env.AWS_PROFILE) ?? 'default';
  const outcome = await rotateAccessKey(
    {
      aws: deps.aws,
      clock: deps.clock,
      prompter: deps.prompter,
      signal: deps.signal,
      critical: runCritical,
      paths: awsFilePaths(deps.env, deps.homeDir),
      env: deps.env,
      log: infoLines(deps.report),
      // A vault profile's key is in its store: read there, and the new key written there.
      vault: { env: deps.env, homeDir: deps.homeDir, terminal: deps.terminal, clock: deps.clock, unlockedVaultFiles: deps.unlockedVaultFiles },
    },
    {
      profile,
      profileNamedBy: flags.profile !== undefined ? 'flag' : nonEmpty(deps.env.AWS_PROFILE) !== undefined ? 'env' : 'default',
      user: flags.user,
      deleteOther: flags.deleteOther,
      evenIfUsed: flags.evenIfUsed,
      keepOld: flags.keepOld,
      dryRun: flags.dryRun,
      yes: flags.yes,
    },
  );
  if (outcome.dryRun) {
    // The plan is the dry run's result, also when the rotation would stop at one of its steps.
    deps.stdout.write(outcome.plan);
    if (outcome.blocked) throw outcome.blocked;
    deps.report.info('Nothing was changed (--dry-run).');
  }
}

export interface RotateFlags {
  profile?: string;
  user?: string;
  deleteOther?: boolean;
  evenIfUsed?: boolean;
  keepOld?: boolean;
  dryRun?: boolean;
  yes?: boolean;
}
