import { ageInDays, DAY_MS } from '../iam/access-keys.js';
import { days } from '../iam/key-report.js';
import { unusedDays } from './attention.js';
import type { AuditedProfile, AuditEntry, AuditReport } from './audit.js';
import type { StoreProblem } from './vault-keys.js';
import type { VaultStoreKind } from '../vault/vault-store.js';

/**
 * How an audit is shown: one line per profile (PROFILE, KIND, DETAILS) or a JSON document. Pure
 * functions of the report, tested with exact strings.
 */

export function renderAudit(report: AuditReport): string {
  const rows = report.entries.map((e) => [e.name, e.kind, details(e, report.now)]);
  const header = ['PROFILE', 'KIND', 'DETAILS'];
  const widths = [0, 1].map((i) => Math.max(header[i]?.length ?? 0, ...rows.map((r) => r[i]?.length ?? 0)));
  return [header, ...rows]
    .map((r) => `${(r[0] ?? '').padEnd(widths[0] ?? 0)}  ${(r[1] ?? '').padEnd(widths[1] ?? 0)}  ${r[2] ?? ''}`.trimEnd() + '\n')
    .join('');
}

function details(e: AuditEntry, now: Date): string {
  switch (e.kind) {
    case 'other':
      return e.source;
    case 'sso': {
      if (e.accountId === undefined) return e.problem ?? '';
      const who = `${e.accountId}/${e.roleName ?? ''}`;
      const token = e.expiry?.tokenExpiresAt ?? null;
      const creds = e.expiry?.credentialsExpireAt ?? null;
      if (e.problem !== undefined) return `${who}  ${e.problem}`;
      if (!token && !creds) return `${who}  not logged in (no cached token)`;
      return `${who}  token ${expiry(token, now)}, role credentials ${expiry(creds, now)}`;
    }
    case 'static': {
      const id = e.accessKeyId ?? '-';
      if (e.problem !== undefined) return `${id}  ${e.problem}`;
      // A vault key says where it is kept; a plaintext key's row is as it always was (its warning says it).
      const where = e.store === undefined ? '' : `in ${STORE_NAME[e.store]}, `;
      if (e.storeProblem) return `${id}  ${storeProblemText(STORE_NAME[e.store ?? 'file'], e.storeProblem)}`;
      const f = e.facts;
      switch (f.iam) {
        case 'offline':
          return `${id}  ${where}age and last use not checked (--offline)`;
        case 'unknown':
          return `${id}  ${where}age and last use unknown (${f.reason})`;
        case 'rejected':
          return `${id}  ${where}rejected by AWS (${f.reason})`;
        case 'ok': {
          const age = f.createdAt ? `${days(ageInDays(f.createdAt, now))} old` : 'age unknown';
          // IAM counts the audit's own calls as uses: such a date says nothing about the key's real use.
          const own = f.lastUseIncludesAudit ? " (includes this audit's call)" : '';
          const used = f.lastUsed
            ? `last used ${f.lastUsed.at.toISOString().slice(0, 10)} (${f.lastUsed.service}, ${f.lastUsed.region})${own}`
            : 'never used';
          return `${id}  ${where}${f.status}, ${age}, ${used}`;
        }
      }
    }
  }
}

const STORE_NAME: Record<VaultStoreKind, string> = { keychain: 'the keychain', file: 'the vault file' };

function storeProblemText(store: string, problem: StoreProblem): string {
  switch (problem.code) {
    case 'vault-missing':
      return `${store} holds no key for this profile`;
    case 'vault-unavailable':
      return `${store} cannot be read here (${problem.detail})`;
    case 'vault-unreadable':
      return `${store} cannot be read (${problem.detail})`;
  }
}

/** "expires 2025-01-01 12:00 UTC (in 3 h)", "expired ... (2 days ago)", "none cached". */
export function expiry(at: Date | null, now: Date): string {
  if (!at) return 'none cached';
  const ms = at.getTime() - now.getTime();
  const when = `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  return ms > 0 ? `expires ${when} (in ${span(ms)})` : `expired ${when} (${span(-ms)} ago)`;
}

function span(ms: number): string {
  if (ms < 60_000) return 'less than a minute';
  if (ms < 3_600_000) return `${Math.floor(ms / 60_000)} min`;
  if (ms < DAY_MS) return `${Math.floor(ms / 3_600_000)} h`;
  return days(Math.floor(ms / DAY_MS));
}

/** The `--json` document; its schema is in docs/rotation.md. */
export function auditToJson(report: AuditReport): unknown {
  return {
    generatedAt: report.now.toISOString(),
    maxAgeDays: report.maxAgeDays,
    maxUnusedDays: report.maxUnusedDays,
    needsAttention: report.warnings.length > 0,
    profiles: report.entries.map((e) => ({ ...profileToJson(e, report.now), attention: e.attention })),
    fileAttention: report.files,
    warnings: report.warnings,
    notes: report.notes,
  };
}

function profileToJson(e: AuditedProfile, now: Date): Record<string, unknown> {
  const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
  const base = { name: e.name, kind: e.kind, files: e.files };
  switch (e.kind) {
    case 'other':
      return { ...base, source: e.source };
    case 'sso':
      return {
        ...base,
        accountId: e.accountId ?? null,
        roleName: e.roleName ?? null,
        ssoSession: e.ssoSession ?? null,
        tokenExpiresAt: iso(e.expiry?.tokenExpiresAt),
        credentialsExpireAt: iso(e.expiry?.credentialsExpireAt),
        problem: e.problem ?? null,
      };
    case 'static': {
      const f = e.facts;
      const ok = f.iam === 'ok' ? f : undefined;
      return {
        ...base,
        accessKeyId: e.accessKeyId ?? null,
        iam: f.iam,
        userName: ok?.userName ?? null,
        status: ok?.status ?? null,
        createDate: iso(ok?.createdAt),
        ageDays: ok?.createdAt ? ageInDays(ok.createdAt, now) : null,
        lastUsed: ok?.lastUsed
          ? { date: ok.lastUsed.at.toISOString(), service: ok.lastUsed.service, region: ok.lastUsed.region, includesThisAudit: ok.lastUseIncludesAudit }
          : null,
        unusedDays: unusedDays(e, now) ?? null,
        error: f.iam === 'unknown' || f.iam === 'rejected' ? f.reason : null,
        problem: e.problem ?? null,
        store: e.store ?? null,
        storeProblem: e.storeProblem ? { code: e.storeProblem.code, detail: e.storeProblem.detail } : null,
      };
    }
  }
}
