import type { Collision, OrphanProfile, PopulatePlan } from './populate-plan.js';

/**
 * The plan as text, one line per profile that is not unchanged, then a count line. `--dry-run`
 * prints it on stdout; a real run prints the lines that need attention (collisions, stale
 * profiles) on stderr. Account names are never printed: they may hold line breaks.
 */
export function formatPlan(plan: PopulatePlan): string {
  const lines = [
    ...plan.add.map((p) => row('add', p.name, `${p.accountId} ${p.roleName}`)),
    ...plan.change.map((p) => row('change', p.name, `${p.accountId} ${p.roleName} (was ${was(p.was)})`)),
    ...plan.prune.map((p) => row('prune', p.name, `${orphan(p)} (no longer assigned)`)),
    ...attentionLines(plan),
    planCounts(plan),
  ];
  return lines.map((l) => `${l}\n`).join('');
}

/** Collisions and stale profiles: what the user may want to act on after a run. */
export function attentionLines(plan: PopulatePlan): string[] {
  return [
    ...plan.stale.map((p) => row('stale', p.name, `${orphan(p)} (no longer assigned; --prune removes it)`)),
    ...plan.collisions.map(collisionLine),
  ];
}

export function planCounts(plan: PopulatePlan): string {
  return [
    `${plan.add.length} to add`,
    `${plan.change.length} to change`,
    `${plan.prune.length} to prune`,
    `${plan.stale.length} stale`,
    `${plan.collisions.length} ${plan.collisions.length === 1 ? 'collision' : 'collisions'}`,
    `${plan.unchanged.length} unchanged`,
  ].join(', ');
}

function collisionLine(c: Collision): string {
  switch (c.kind) {
    case 'renamed':
      return row('rename', c.profile.name, `${c.profile.accountId} ${c.profile.roleName} (several assignments make "${c.from}")`);
    case 'taken':
      return row('skip', c.name, `${c.assignment.accountId} ${c.assignment.roleName} (the name belongs to ${c.holder})`);
    case 'ambiguous':
      return row(
        'skip',
        c.name === '' ? '(empty name)' : c.name,
        `${c.assignment.accountId} ${c.assignment.roleName} (several assignments make this name even with the account id)`,
      );
  }
}

function row(verb: string, name: string, detail: string): string {
  return `${verb.padEnd(7)}${name}  ${detail}`;
}

function orphan(p: OrphanProfile): string {
  return `${p.accountId ?? '?'} ${p.roleName ?? '?'}`;
}

function was(w: { accountId?: string | undefined; roleName?: string | undefined; region?: string | undefined }): string {
  return `${w.accountId ?? '?'} ${w.roleName ?? '?'}${w.region !== undefined ? `, region ${w.region}` : ''}`;
}
