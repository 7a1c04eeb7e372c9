import { keysToJson, renderKeyTable } from '../../iam/key-report.js';
import { listKeys, parseMaxAge } from '../../iam/list-keys.js';
import { assertSourceProfileExists } from '../../iam/source-profile.js';
import type { Deps } from '../../app/deps.js';

export async function listKeysCommand(flags: ListKeysFlags, deps: Deps): Promise<void> {
  const maxAgeDays = parseMaxAge(flags.maxAge);
  await assertSourceProfileExists({ profile: flags.profile, env: deps.env, homeDir: deps.homeDir });
  const listing = await listKeys(
    { iam: await deps.aws.iam({ profile: flags.profile }), clock: deps.clock, signal: deps.signal },
    { user: flags.user, maxAgeDays },
  );
  if (flags.json) {
    deps.stdout.write(`${JSON.stringify(keysToJson(listing.keys, listing.now), null, 2)}\n`);
  } else if (listing.keys.length === 0) {
    deps.report.info(`IAM user "${listing.userName}" has no access keys.`);
  } else {
    deps.stdout.write(renderKeyTable(listing.keys, listing.now));
  }
  for (const warning of listing.warnings) deps.report.warn(warning);
}

export interface ListKeysFlags {
  user?: string;
  profile?: string;
  json?: boolean;
  maxAge: string;
}
