import { describe, expect, it } from 'vitest';
import { parseIni } from '../../aws-files/ini-parse.js';
import type { AwsFiles } from '../../aws-files/profiles.js';
import { editSections } from '../../aws-files/ini-edit.js';
import { formatPlan } from './plan-report.js';
import { planEdits } from './plan-edits.js';
import type { Assignment, PopulatePlan } from './populate-plan.js';
import { planPopulate } from './populate-plan.js';
import { DEFAULT_TEMPLATE, parseTemplate } from './profile-names.js';

const paths = { config: '/h/.aws/config', credentials: '/h/.aws/credentials', ssoCacheDir: '/h/.aws/sso/cache', cliCacheDir: '/h/.aws/cli/cache', sessionCacheDir: '/h/.aws/awskeys/sessions' };
const files = (config: string, credentials = ''): AwsFiles => ({
  paths,
  config: parseIni(config, paths.config),
  credentials: parseIni(credentials, paths.credentials),
});
const a = (accountId: string, accountName: string, roleName: string): Assignment => ({ accountId, accountName, roleName });
const managed = (name: string, accountId: string, role: string, session = 'acme') =>
  `[profile ${name}]\nsso_session = ${session}\nsso_account_id = ${accountId}\nsso_role_name = ${role}\nregion = us-east-1\nawskeys_populated_from = ${session}\n`;

const plan = (config: string, assignments: Assignment[], extra: { prune?: boolean; template?: string; profileRegion?: string; credentials?: string } = {}) =>
  planPopulate({
    files: files(config, extra.credentials),
    session: 'acme',
    template: parseTemplate(extra.template ?? DEFAULT_TEMPLATE),
    assignments,
    profileRegion: extra.profileRegion,
    defaultRegion: 'us-east-1',
    prune: extra.prune ?? false,
  });

/** The names in each bucket, for compact expectations. */
const names = (p: PopulatePlan) => ({
  add: p.add.map((x) => x.name),
  change: p.change.map((x) => x.name),
  prune: p.prune.map((x) => x.name),
  stale: p.stale.map((x) => x.name),
  collisions: p.collisions.map((c) => `${c.kind}:${c.kind === 'renamed' ? `${c.from}->${c.profile.name}` : c.name}`),
  unchanged: p.unchanged.map((x) => x.name),
});
const none = { add: [], change: [], prune: [], stale: [], collisions: [], unchanged: [] };

describe('planPopulate', () => {
  it.each<[string, string, Assignment[], { prune?: boolean; credentials?: string; profileRegion?: string; template?: string }, Partial<ReturnType<typeof names>>]>([
    ['an empty file: everything is added, sorted by name', '', [a('2', 'B', 'R'), a('1', 'A', 'R')], {}, { add: ['A-R', 'B-R'] }],
    ['the same listing twice counts once', '', [a('1', 'A', 'R'), a('1', 'A', 'R')], {}, { add: ['A-R'] }],
    ['a managed profile with the same values is unchanged', managed('A-R', '1', 'R'), [a('1', 'A', 'R')], {}, { unchanged: ['A-R'] }],
    ['a managed profile pointing elsewhere is changed', managed('A-R', '9', 'R'), [a('1', 'A', 'R')], {}, { change: ['A-R'] }],
    ['an explicit --profile-region that differs is a change', managed('A-R', '1', 'R'), [a('1', 'A', 'R')], { profileRegion: 'eu-west-1' }, { change: ['A-R'] }],
    ['without --profile-region a hand-set region is left alone', managed('A-R', '1', 'R').replace('us-east-1', 'ap-south-1'), [a('1', 'A', 'R')], {}, { unchanged: ['A-R'] }],
    ['a managed profile without an assignment is stale', managed('Old-R', '3', 'R'), [a('1', 'A', 'R')], {}, { add: ['A-R'], stale: ['Old-R'] }],
    ['... and pruned with --prune', managed('Old-R', '3', 'R'), [a('1', 'A', 'R')], { prune: true }, { add: ['A-R'], prune: ['Old-R'] }],
    ['another session\'s managed profiles are never pruned', managed('Old-R', '3', 'R', 'other'), [], { prune: true }, {}],
    ['a hand-written profile is never pruned', '[profile Old-R]\nsso_session = acme\nsso_account_id = 3\nsso_role_name = R\n', [], { prune: true }, {}],
    ['a hand-written profile keeps its name: the assignment is skipped', '[profile A-R]\nregion = us-west-2\n', [a('1', 'A', 'R')], {}, { collisions: ['taken:A-R'] }],
    ['a profile managed for another session is skipped', managed('A-R', '1', 'R', 'other'), [a('1', 'A', 'R')], {}, { collisions: ['taken:A-R'] }],
    ['a name in the credentials file is skipped', '', [a('1', 'A', 'R')], { credentials: '[A-R]\naws_access_key_id = AKIA\n' }, { collisions: ['taken:A-R'] }],
    ['"default" is never generated', '', [a('1', 'default', 'x')], { template: '{account_name}' }, { collisions: ['taken:default'] }],
    [
      'duplicate account names: every one of them gets its account id',
      '',
      [a('2', 'Sandbox', 'Admin'), a('1', 'Sandbox', 'Admin'), a('3', 'Other', 'Admin')],
      {},
      { add: ['Other-Admin', 'Sandbox-Admin-1', 'Sandbox-Admin-2'], collisions: ['renamed:Sandbox-Admin->Sandbox-Admin-2', 'renamed:Sandbox-Admin->Sandbox-Admin-1'] },
    ],
    [
      'roles that differ only in characters a name cannot hold: neither is written',
      '',
      [a('1', 'A', 'Deploy=Prod'), a('1', 'A', 'Deploy-Prod'), a('1', 'A', 'Deploy,Prod')],
      {},
      { add: ['A-Deploy,Prod'], collisions: ['ambiguous:A-Deploy-Prod-1', 'ambiguous:A-Deploy-Prod-1'] },
    ],
    [
      'a renamed profile that lands on a hand-written name is skipped',
      '[profile S-R-1]\nregion = x\n',
      [a('1', 'S', 'R'), a('2', 'S', 'R')],
      {},
      { add: ['S-R-2'], collisions: ['renamed:S-R->S-R-1', 'renamed:S-R->S-R-2', 'taken:S-R-1'] },
    ],
  ])('%s', (_title, config, assignments, extra, expected) => {
    expect(names(plan(config, assignments, extra))).toEqual({ ...none, ...expected });
  });

  it('does not depend on the order the portal listed assignments in', () => {
    const listing = [a('2', 'Sandbox', 'Admin'), a('1', 'Sandbox', 'Admin'), a('3', 'A', 'R'), a('1', 'Sandbox', 'Read')];
    const p1 = plan('', listing);
    const p2 = plan('', [...listing].reverse());
    expect(p2.add).toEqual(p1.add);
    expect(new Set(p2.collisions.map((c) => JSON.stringify(c)))).toEqual(new Set(p1.collisions.map((c) => JSON.stringify(c))));
  });

  it('reports the plan: one line per profile that is not unchanged, then the counts', () => {
    const config = managed('A-R', '9', 'Old') + managed('Gone-R', '3', 'R') + '[profile B-R]\nregion = x\n';
    const p = plan(config, [a('1', 'A', 'R'), a('2', 'B', 'R'), a('4', 'C', 'R'), a('5', 'D', 'R'), a('6', 'D', 'R')], { prune: true });
    expect(formatPlan(p)).toBe(
      [
        'add    C-R  4 R',
        'add    D-R-5  5 R',
        'add    D-R-6  6 R',
        'change A-R  1 R (was 9 Old, region us-east-1)',
        'prune  Gone-R  3 R (no longer assigned)',
        'rename D-R-5  5 R (several assignments make "D-R")',
        'rename D-R-6  6 R (several assignments make "D-R")',
        'skip   B-R  2 R (the name belongs to a profile not written by sso populate)',
        '3 to add, 1 to change, 1 to prune, 0 stale, 3 collisions, 0 unchanged',
        '',
      ].join('\n'),
    );
  });
});

const applyEdits = editSections;

describe('planEdits', () => {
  it('writes new profiles in the sso-session form with the marker, changes only owned keys, removes pruned ones', () => {
    const config =
      '# mine\n[profile keep]\nregion = us-west-2 # hand-written\n\n' +
      managed('A-R', '9', 'Old').replace('region = us-east-1\n', 'region = us-east-1\noutput = yaml\n') +
      '\n' +
      managed('Gone-R', '3', 'R');
    const p = plan(config, [a('1', 'A', 'R'), a('2', 'B c', 'R')], { prune: true });
    const next = applyEdits(config, planEdits(p, 'acme', { profileRegion: undefined, defaultRegion: 'eu-west-1' }, undefined));
    expect(next).toBe(
      [
        '# mine',
        '[profile keep]',
        'region = us-west-2 # hand-written',
        '',
        '[profile A-R]',
        'sso_session = acme',
        'sso_account_id = 1',
        'sso_role_name = R',
        'region = us-east-1',
        'output = yaml',
        'awskeys_populated_from = acme',
        '',
        '[profile B-c-R]',
        'sso_session = acme',
        'sso_account_id = 2',
        'sso_role_name = R',
        'region = eu-west-1',
        'awskeys_populated_from = acme',
        '',
      ].join('\n'),
    );
    // Planned again against its own result: nothing left to do.
    const again = plan(next, [a('1', 'A', 'R'), a('2', 'B c', 'R')], { prune: true });
    expect(names(again)).toEqual({ ...none, unchanged: ['A-R', 'B-c-R'] });
    expect(applyEdits(next, planEdits(again, 'acme', { profileRegion: undefined, defaultRegion: 'eu-west-1' }, undefined))).toBe(next);
  });

  it('adds the [sso-session] named by --start-url, and leaves an identical one as it is', () => {
    const session = { name: 'acme', startUrl: 'https://acme.awsapps.com/start', region: 'us-east-1', scopes: ['sso:account:access'] };
    const p = plan('', [a('1', 'A', 'R')]);
    const next = applyEdits('', planEdits(p, 'acme', { profileRegion: 'ap-south-1', defaultRegion: 'us-east-1' }, session));
    expect(next).toBe(
      '[sso-session acme]\nsso_start_url = https://acme.awsapps.com/start\nsso_region = us-east-1\nsso_registration_scopes = sso:account:access\n\n' +
        '[profile A-R]\nsso_session = acme\nsso_account_id = 1\nsso_role_name = R\nregion = ap-south-1\nawskeys_populated_from = acme\n',
    );
    expect(applyEdits(next, planEdits(plan(next, [a('1', 'A', 'R')]), 'acme', { profileRegion: undefined, defaultRegion: 'x' }, session))).toBe(next);
  });
});
