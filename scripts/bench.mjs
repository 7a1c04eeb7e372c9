// npm run bench: how much `awskeys env` costs on top of starting node itself.
//
// Method: one temporary HOME with a static profile and an SSO profile whose role credentials are
// already in the role-credential cache (the SSO endpoint points at a closed local port, so a
// cache miss would fail loudly instead of reaching AWS). Each round runs every command once, in a
// rotating order so no command always runs right after another; a few warm-up rounds fill the OS
// file cache first and are not counted. Reported: the median wall time of each command (spawn to
// exit, measured from this process) and its ratio to `node -e 0`.
//
// Usage: node scripts/bench.mjs [--rounds N] [--check]   (--check: exit 1 when a target is missed)
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { build } from 'esbuild';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const roundsArg = args.indexOf('--rounds');
const rounds = roundsArg >= 0 ? Number(args[roundsArg + 1]) : 30;
const check = args.includes('--check');
const warmups = 3;
const bin = fileURLToPath(new URL('../bin/awskeys.js', import.meta.url));

const home = mkdtempSync(join(tmpdir(), 'awskeys-bench-'));
try {
  const env = prepareHome(home);
  const commands = [
    { name: 'node -e 0', argv: ['-e', '0'] },
    { name: 'awskeys env (static profile)', argv: [bin, 'env', '--profile', 'static'], target: 1.25, expect: 'AKIABENCHSTATIC' },
    { name: 'awskeys env (SSO, cached role credentials)', argv: [bin, 'env', '--profile', 'sso'], target: 1.4, expect: 'ASIABENCHCACHED' },
    { name: 'awskeys --help', argv: [bin, '--help'], expect: 'Usage: awskeys' },
  ];
  const times = commands.map(() => []);
  for (let round = 0; round < warmups + rounds; round++) {
    for (let k = 0; k < commands.length; k++) {
      const index = (round + k) % commands.length;
      const ms = runOnce(commands[index], env);
      if (round >= warmups) times[index].push(ms);
    }
  }

  const base = median(times[0]);
  console.log(`node ${process.version} on ${cpus()[0]?.model ?? 'unknown cpu'} (${cpus().length} cores); ${rounds} interleaved rounds after ${warmups} warm-ups\n`);
  console.log(`${'command'.padEnd(46)}${'median'.padStart(10)}${'ratio'.padStart(8)}  target`);
  let missed = 0;
  commands.forEach((command, i) => {
    const m = median(times[i]);
    const ratio = m / base;
    const verdict = command.target === undefined ? '' : ratio <= command.target ? `<= ${command.target} ok` : `<= ${command.target} MISSED`;
    if (command.target !== undefined && ratio > command.target) missed += 1;
    console.log(`${command.name.padEnd(46)}${`${m.toFixed(1)} ms`.padStart(10)}${ratio.toFixed(2).padStart(8)}  ${verdict}`);
  });
  console.log('\nEvery run exited 0 with nothing on stderr (no warnings).');
  if (!(await configWriteBench(home))) missed += 1;
  if (!completionBench(env)) missed += 1;
  if (!(await populateBench(home))) missed += 1;
  if (check && missed > 0) process.exitCode = 1;
} finally {
  rmSync(home, { recursive: true, force: true });
}

function runOnce(command, env) {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, command.argv, { env, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0 || result.stderr !== '' || (command.expect && !result.stdout.includes(command.expect))) {
    console.error(`bench: "${command.name}" misbehaved (exit ${result.status}):\n${result.stderr}${result.stdout.slice(0, 400)}`);
    process.exit(2);
  }
  return ms;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Writes the AWS files and a role-credential cache entry (the AWS CLI's format) into `dir`. */
function prepareHome(dir) {
  const aws = join(dir, '.aws');
  const cache = join(aws, 'cli', 'cache');
  mkdirSync(cache, { recursive: true, mode: 0o700 });
  writeFileSync(
    join(aws, 'config'),
    [
      '[profile static]',
      'region = us-west-2',
      '',
      '[profile sso]',
      'sso_session = bench',
      'sso_account_id = 111122223333',
      'sso_role_name = Bench',
      'region = eu-west-1',
      '',
      '[sso-session bench]',
      'sso_start_url = https://bench.awsapps.com/start',
      'sso_region = us-east-1',
      'sso_registration_scopes = sso:account:access',
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
  writeFileSync(
    join(aws, 'credentials'),
    '[static]\naws_access_key_id = AKIABENCHSTATIC\naws_secret_access_key = bench-static-secret\n',
    { mode: 0o600 },
  );
  // protocol-reference §3.4: sha1 of the compact, key-sorted JSON of account, role and session.
  const key = createHash('sha1').update('{"accountId":"111122223333","roleName":"Bench","sessionName":"bench"}').digest('hex');
  const expiration = new Date(Date.now() + 3600_000).toISOString().slice(0, 19) + 'Z';
  writeFileSync(
    join(cache, `${key}.json`),
    JSON.stringify({
      ProviderType: 'sso',
      Credentials: { AccessKeyId: 'ASIABENCHCACHED', SecretAccessKey: 'bench-secret', SessionToken: 'bench-token', Expiration: expiration, AccountId: '111122223333' },
      SessionKey: 'bench',
    }),
    { mode: 0o600 },
  );
  return {
    PATH: process.env.PATH,
    HOME: dir,
    AWS_CONFIG_FILE: join(aws, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(aws, 'credentials'),
    // A cache miss must not reach AWS: send the SSO clients to a closed port.
    AWS_ENDPOINT_URL_SSO: 'http://127.0.0.1:9',
    AWS_ENDPOINT_URL_SSO_OIDC: 'http://127.0.0.1:9',
  };
}

/**
 * "3,000-profile config write": one updateAwsSections call (lock, read, one-pass edit of 3,000 new
 * profiles, atomic write) into a config that already holds 3,000 other profiles, as `sso populate`
 * does for a large organization. scripts/bench-config-write.ts is bundled with esbuild and run in its
 * own process; * reported: the median of 5 runs. Target: under 1 s (one editSection per profile took 43 s).
 */
async function configWriteBench(dir) {
  const workDir = join(dir, 'config-write');
  mkdirSync(workDir, { recursive: true });
  const worker = join(workDir, 'worker.mjs');
  await build({ entryPoints: [fileURLToPath(new URL('bench-config-write.ts', import.meta.url))], outfile: worker, bundle: true, format: 'esm', platform: 'node', target: 'node20', logLevel: 'warning' });
  const times = [];
  for (let run = 0; run < 5; run++) {
    const result = spawnSync(process.execPath, [worker, join(workDir, `config${run}`)], { encoding: 'utf8' });
    if (result.status !== 0) {
      console.error(`bench: the config write failed (exit ${result.status}):\n${result.stderr}`);
      process.exit(2);
    }
    times.push(Number(result.stdout));
  }
  const m = median(times);
  const target = 1000;
  console.log(`\n${'3,000-profile config write (one locked write)'.padEnd(46)}${`${m.toFixed(1)} ms`.padStart(10)}${''.padStart(8)}  < ${target} ms ${m < target ? 'ok' : 'MISSED'}`);
  return m < target;
}

/**
 * "TAB completion": `awskeys complete -- env --profile ''` (what the shell scripts run on every TAB:
 * the full entry, the command table, @bomb.sh/tab, and both AWS files read for profile names),
 * interleaved with `node -e 0` as above. Target: at most 2 times node's own start-up, the cost
 * class of `awskeys --help` (the same entry and command table; the lean entry cannot serve it,
 * as the completion tree is read from commander's table).
 */
function completionBench(env) {
  const target = 2;
  const node = { name: 'node -e 0', argv: ['-e', '0'] };
  const tab = { name: 'awskeys complete (profile names)', argv: [bin, 'complete', '--', 'env', '--profile', ''], expect: 'static\t' };
  const times = [[], []];
  for (let round = 0; round < warmups + rounds; round++) {
    const order = round % 2 ? [0, 1] : [1, 0];
    for (const i of order) {
      const ms = runOnce([node, tab][i], env);
      if (round >= warmups) times[i].push(ms);
    }
  }
  const ratio = median(times[1]) / median(times[0]);
  console.log(`\n${tab.name.padEnd(46)}${`${median(times[1]).toFixed(1)} ms`.padStart(10)}${ratio.toFixed(2).padStart(8)}  <= ${target} ${ratio <= target ? 'ok' : 'MISSED'}`);
  return ratio <= target;
}

/**
 * "sso populate throughput": the built binary populating 500 accounts (505 portal calls: 5
 * ListAccounts pages, 500 ListAccountRoles) from the SSO emulator enforcing the service's 20
 * requests per second with 429s (scripts/bench-populate.ts, bundled with esbuild, runs both).
 * Reported: portal requests per second over the command's whole wall time (node start-up and the
 * write included), as a fraction of the limit, the 429s it met, and profiles missing afterwards.
 * Targets: >= 90 % of the limit, 0 failed profiles. One run: it takes about 26 s.
 */
async function populateBench(dir) {
  const workDir = join(dir, 'populate');
  mkdirSync(workDir, { recursive: true });
  const worker = join(workDir, 'worker.mjs');
  await build({ entryPoints: [fileURLToPath(new URL('bench-populate.ts', import.meta.url))], outfile: worker, bundle: true, format: 'esm', platform: 'node', target: 'node20', logLevel: 'warning' });
  const limit = 20;
  const result = spawnSync(process.execPath, [worker, join(workDir, 'home'), bin, '500', String(limit)], { encoding: 'utf8' });
  if (result.status !== 0) {
    console.error(`bench: the populate run failed (exit ${result.status}):\n${result.stderr}`);
    process.exit(2);
  }
  const r = JSON.parse(result.stdout);
  if (r.exitCode !== 0) {
    console.error(`bench: awskeys sso populate exited ${r.exitCode}:\n${r.stderr}`);
    process.exit(2);
  }
  const rate = r.requests / (r.wallMs / 1000);
  const fraction = rate / limit;
  const ok = fraction >= 0.9 && r.failed === 0;
  console.log(`\n${'sso populate, 500 accounts at 20 requests/s'.padEnd(46)}${`${(r.wallMs / 1000).toFixed(1)} s`.padStart(10)}`);
  console.log(`  ${r.requests} portal requests, ${rate.toFixed(1)} requests/s = ${(fraction * 100).toFixed(1)} % of the limit (target >= 90 %), ${r.throttled} answered 429`);
  console.log(`  ${r.expected - r.failed} of ${r.expected} profiles written, ${r.failed} failed (target 0): ${ok ? 'ok' : 'MISSED'}`);
  return ok;
}
