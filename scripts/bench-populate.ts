// Worker for scripts/bench.mjs, "sso populate throughput": bundled by esbuild and run in its own
// process. Starts the SSO emulator with 500 accounts, enforcing the service's 20 requests per
// second with 429s, seeds a login, and runs the built `awskeys sso populate` against it as a user
// would. Prints JSON: portal requests, throttled answers, wall time, profiles expected/written.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateAccounts, startSsoEmulator } from '../emulators/sso/index.js';
import { tokenCachePath, writeToken } from '../src/sso/token-cache.js';

// The bundle runs from a temporary folder: the binary's path comes in argv.
const [dir, bin, accountsArg = '500', limitArg = '20'] = process.argv.slice(2);
if (dir === undefined || bin === undefined) throw new Error('usage: bench-populate <dir> <bin/awskeys.js> [accounts] [requests per second]');
const accountCount = Number(accountsArg);
const limit = Number(limitArg);
const startUrl = 'https://bench.awsapps.com/start';

const accounts = generateAccounts(accountCount);
const emulator = await startSsoEmulator({ accounts, rateLimit: { requestsPerSecond: limit } });
const aws = join(dir, '.aws');
mkdirSync(aws, { recursive: true, mode: 0o700 });
writeFileSync(join(aws, 'config'), `[sso-session bench]\nsso_start_url = ${startUrl}\nsso_region = us-east-1\n`, { mode: 0o600 });
const token = emulator.issueToken({ startUrl });
await writeToken(tokenCachePath(join(aws, 'sso', 'cache'), { sessionName: 'bench', startUrl }), { startUrl, region: 'us-east-1', ...token });

const started = performance.now();
const exit = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
  const child = spawn(process.execPath, [bin, 'sso', 'populate', '--sso-session', 'bench'], {
    env: { PATH: process.env.PATH, HOME: dir, AWS_CONFIG_FILE: join(aws, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(aws, 'credentials'), ...emulator.env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.on('close', (code) => resolve({ code, stderr }));
});
const wallMs = performance.now() - started;
await emulator.close();

const config = readFileSync(join(aws, 'config'), 'utf8');
const written = new Set<string>();
for (const section of config.split(/\n(?=\[)/)) {
  const account = /^sso_account_id = (\d+)$/m.exec(section)?.[1];
  const role = /^sso_role_name = (.+)$/m.exec(section)?.[1];
  if (account && role) written.add(`${account} ${role}`);
}
const expected = accounts.flatMap((a) => a.roles.map((r) => `${a.accountId} ${r}`));
process.stdout.write(
  JSON.stringify({
    exitCode: exit.code,
    stderr: exit.code === 0 ? '' : exit.stderr,
    requests: emulator.calls.ListAccounts + emulator.calls.ListAccountRoles,
    throttled: emulator.throttled,
    wallMs,
    expected: expected.length,
    failed: expected.filter((k) => !written.has(k)).length,
  }),
);
