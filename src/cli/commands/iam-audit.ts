import { auditProfiles } from '../../audit/audit.js';
import { auditToJson, renderAudit } from '../../audit/audit-report.js';
import { awsFilePaths } from '../../aws-files/paths.js';
import { NeedsAttentionError } from '../../errors.js';
import { parseMaxAge } from '../../iam/list-keys.js';
import type { Deps } from '../../deps.js';
import type { AuditFlags } from './iam-hygiene.cli.js';

/** The report goes out first (stdout, warnings on stderr); only then does exit 13 follow. */
export async function auditCommand(flags: AuditFlags, deps: Deps): Promise<void> {
  const report = await auditProfiles(
    { aws: deps.aws, clock: deps.clock, paths: awsFilePaths(deps.env, deps.homeDir) },
    { maxAgeDays: parseMaxAge(flags.maxAge), offline: flags.offline ?? false, viaProfile: flags.profile, eachKey: flags.eachKey ?? false },
  );
  if (flags.json) deps.stdout.write(`${JSON.stringify(auditToJson(report), null, 2)}\n`);
  else if (report.entries.length === 0) deps.stderr.write('No profiles in the AWS files.\n');
  else deps.stdout.write(renderAudit(report));
  for (const note of report.notes) deps.stderr.write(`awskeys: note: ${note}\n`);
  for (const warning of report.warnings) deps.report.warn(warning);
  const n = report.warnings.length;
  if (n > 0) {
    throw new NeedsAttentionError(`${n === 1 ? '1 thing needs' : `${n} things need`} attention (the warnings above).`);
  }
}
