/**
 * `npm run demo`: awskeys' main jobs, run for real against local servers in a throwaway HOME.
 * moto_server plays IAM and STS, the project's SSO emulator plays IAM Identity Center, and the
 * installed `aws` CLI checks what awskeys wrote. Secrets in the printed output are masked.
 */
import { CreateUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startSsoEmulator } from '../emulators/sso/index.js';

// The demo itself uses the SDK (to create the IAM user); keep its Node 20 notice off the screen.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const repo = resolve(import.meta.dirname, '..');
const bin = join(repo, 'bin', 'awskeys.js');
const out = (s: string): void => void process.stdout.write(s);

const home = await mkdtemp(join(tmpdir(), 'awskeys-demo-'));
let moto: ChildProcess | undefined;
const emulator = await startSsoEmulator({ autoApproveAfterPolls: 1, interval: 1 });
try {
  const motoUrl = process.env.MOTO_URL ?? (await startMoto());
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: home,
    AWS_CONFIG_FILE: join(home, '.aws', 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, '.aws', 'credentials'),
    AWS_ENDPOINT_URL_IAM: motoUrl,
    AWS_ENDPOINT_URL_STS: motoUrl,
    AWS_ENDPOINT_URL_SSO: emulator.url,
    AWS_ENDPOINT_URL_SSO_OIDC: emulator.url,
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  out(`# HOME=${home}\n# moto_server (IAM, STS) at ${motoUrl}, SSO emulator at ${emulator.url}\n\n`);

  // The administrator's side: an IAM user, and a credentials file the user already has.
  const admin = { accessKeyId: 'testing', secretAccessKey: 'testing' };
  const iam = new IAMClient({ region: 'us-east-1', endpoint: motoUrl, credentials: admin });
  await iam.send(new CreateUserCommand({ UserName: 'alice' }));
  await mkdir(join(home, '.aws'), { recursive: true, mode: 0o700 });
  await writeFile(
    env.AWS_SHARED_CREDENTIALS_FILE!,
    '# my keys, hand-edited\n[acme.prod]\naws_access_key_id = AKIAEXAMPLEEXAMPLE01\naws_secret_access_key = keep-me\n\n[admin]\naws_access_key_id = testing\naws_secret_access_key = testing\n',
    { mode: 0o600 },
  );

  await step('1. Create an access key for alice and store it as profile "alice"', env, [
    'iam', 'create-key', '--user', 'alice', '--write-profile', 'alice', '--profile', 'admin',
  ]);
  await step('2. List her keys with age and last use', env, ['iam', 'list-keys', '--user', 'alice', '--profile', 'admin']);
  if (spawnSync('aws', ['--version'], { stdio: 'ignore' }).status === 0) {
    out('$ aws sts get-caller-identity --profile alice   # the AWS CLI reads what awskeys wrote\n');
    const r = spawnSync('aws', ['sts', 'get-caller-identity', '--profile', 'alice', '--endpoint-url', motoUrl], {
      env: { ...env, AWS_DEFAULT_REGION: 'us-east-1' },
      encoding: 'utf8',
    });
    out(`${r.stdout}${r.stderr}\n`);
  }
  await step('3. Rotate it: new key verified with STS, profile rewritten, old key deleted', env, [
    'iam', 'rotate', '--profile', 'alice', '--yes',
  ]);
  await step('4. Exports for the static profile', env, ['env', '--profile', 'alice']);
  await step('5. Log in through IAM Identity Center and save an sso-session profile', env, [
    'sso', 'login', '--start-url', 'https://demo.awsapps.com/start', '--region', 'us-east-1',
    '--session-name', 'demo', '--no-browser', '--account-id', '222233334444',
    '--role-name', 'DeveloperAccess', '--profile', 'dev',
  ]);
  await step('6. Exports for the SSO profile, from the role credentials the login cached (no network call)', env, ['env', '--profile', 'dev']);
  await step('7. The credential_process document, from the same cache', env, [
    'credential-process', '--profile', 'dev',
  ]);
  out(`# SSO emulator calls: ${JSON.stringify(emulator.calls)}\n\n`);
  for (const file of [env.AWS_SHARED_CREDENTIALS_FILE!, env.AWS_CONFIG_FILE!]) {
    out(`# ${file}\n${mask(await readFile(file, 'utf8'))}\n`);
  }
} finally {
  await emulator.close();
  moto?.kill('SIGTERM');
  await rm(home, { recursive: true, force: true });
}

/** Runs the built awskeys asynchronously: the SSO emulator lives in this process and must answer. */
async function step(title: string, env: Record<string, string>, args: string[]): Promise<void> {
  out(`## ${title}\n$ awskeys ${args.join(' ')}\n`);
  const child = spawn(process.execPath, [bin, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const status = await new Promise<number | null>((ok) => child.on('close', ok));
  out(mask(stdout) + stderr.replace(/^(?=.)/gm, '  (stderr) '));
  out(`  (exit ${status})\n\n`);
  if (status !== 0) throw new Error(`demo step failed: awskeys ${args.join(' ')}`);
}

/** Hides secrets and session tokens (the keys are fake, but a demo should show good habits). */
function mask(text: string): string {
  return text.replace(
    /((?:SECRET_ACCESS_KEY|SESSION_TOKEN|SecretAccessKey|SessionToken|aws_secret_access_key|aws_session_token)[ \t=:"']+)([A-Za-z0-9+/=_-]{4})[A-Za-z0-9+/=_-]+/g,
    '$1$2…',
  );
}

async function startMoto(): Promise<string> {
  const port = await new Promise<number>((ok) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => ok(typeof a === 'object' && a ? a.port : 0));
    });
  });
  moto = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i += 1) {
    try {
      if ((await fetch(`${url}/moto-api/`)).ok) return url;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error('moto_server did not start (pip install "moto[server]")');
}
