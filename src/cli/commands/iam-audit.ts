import { DEFAULT_MAX_UNUSED_DAYS } from '../../audit/attention.js';
import { auditProfiles } from '../../audit/audit.js';
import { auditToJson, renderAudit } from '../../audit/audit-report.js';
import { awsFilePaths } from '../../aws-files/paths.js';
import { NeedsAttentionError } from '../../errors/cli-error.js';
import { parseMaxAge } from '../../iam/list-keys.js';
import type { Deps } from '../../app/deps.js';
import { noteLine } from '../../app/reporter.js';
import { parseDayCount } from '../../util/day-count.js';

/** The report goes out first (stdout, notes and warnings on stderr); only then does exit 13 follow. */
export async function auditCommand(flags: AuditFlags, deps: Deps): Promise<void> {
  const maxAgeDays = parseMaxAge(flags.maxAge);
  const maxUnusedDays = parseDayCount('--max-unused', flags.maxUnused, DEFAULT_MAX_UNUSED_DAYS);
  const report = await auditProfiles(
    { aws: deps.aws, clock: deps.clock, paths: awsFilePaths(deps.env, deps.homeDir), vault: deps },
    { maxAgeDays, maxUnusedDays, offline: flags.offline ?? false, viaProfile: flags.profile, eachKey: flags.eachKey ?? false },
  );
  if (flags.json) deps.report.result(`${JSON.stringify(auditToJson(report), null, 2)}\n`);
  else if (report.entries.length === 0) deps.report.info('No profiles in the AWS files.');
  else deps.report.result(renderAudit(report));
  for (const note of report.notes) deps.report.info(noteLine(note));
  for (const warning of report.warnings) deps.report.warn(warning);
  const n = report.warnings.length;
  if (n > 0) {
    throw new NeedsAttentionError(`${n === 1 ? '1 thing needs' : `${n} things need`} attention (the warnings above).`);
  }
}

export interface AuditFlags {
  json?: boolean;
  maxAge: string;
  maxUnused: string;
  offline?: boolean;
  profile?: string;
  eachKey?: boolean;
}
