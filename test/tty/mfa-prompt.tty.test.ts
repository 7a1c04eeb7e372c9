import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { createKey, createUser, motoUrl } from '../iam-fixtures.js';
import { ensureBuilt } from '../support/built.js';
import { binPath, tempHome } from '../support/cli.js';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.js';
import { shellQuote, startTmux, type TmuxSession } from '../support/tmux.js';
import { needs } from '../support/optional-tools.js';

/**
 * The MFA prompt on a real terminal: the built binary in tmux, against moto behind a recording
 * proxy. `eval "$(awskeys env)"` has its stdout captured by the shell, and credential_process has
 * stdin, stdout and stderr taken by the SDK (here botocore, with stdin from /dev/null): the code is
 * still asked on, and read from, the terminal.
 */
const tmux = needs('tmux');
const SERIAL = 'arn:aws:iam::123456789012:mfa/alice';

let session: TmuxSession | undefined;
let proxy: FaultProxy;
let env: Record<string, string>;
let home: string;

beforeEach(async () => {
  proxy = await startFaultProxy(motoUrl());
  const alice = await createKey(await createUser('tty-mfa'));
  ({ home, env } = await tempHome({
    config: `[profile alice]\nmfa_serial = ${SERIAL}\n[profile alice-cp]\ncredential_process = ${process.execPath} ${binPath} credential-process --profile alice\n`,
    credentials: `[alice]\naws_access_key_id = ${alice.accessKeyId}\naws_secret_access_key = ${alice.secretAccessKey}\n`,
    modes: 'private',
  }));
  env = { ...env, HOME: home, AWS_ENDPOINT_URL_STS: proxy.url, AWS_EC2_METADATA_DISABLED: 'true' };
});

afterEach(async () => {
  await session?.kill();
  session = undefined;
  await proxy.close();
});

tmux.describe('the MFA code on a real terminal (tmux)', () => {
  beforeAll(ensureBuilt, 120_000);

  it('eval "$(awskeys env)": asks on the terminal, the shell gets the exports, the next run asks nothing', async () => {
    const out = join(home, 'exports.sh');
    const run = `out=$(${shellQuote(process.execPath, binPath, 'env', '--profile', 'alice')}); echo EXIT=$?; printf '%s\\n' "$out" > ${shellQuote(out)}`;
    session = await startTmux({ name: 'awskeys-mfa', command: `${run}; ${run.replace('EXIT=', 'AGAIN=')}`, env, cwd: home });
    await session.waitFor(`MFA code for ${SERIAL}`);
    await session.type('12345x');
    await session.sendKeys('Enter');
    await session.waitFor('Type the 6 digits the MFA device shows.');
    await session.sendKeys('BSpace', 'BSpace', 'BSpace', 'BSpace', 'BSpace', 'BSpace');
    await session.type('123456');
    await session.sendKeys('Enter');
    const screen = await session.waitFor(/^AGAIN=\d+$/m, 15_000);
    expect(screen).toMatch(/^EXIT=0$/m);
    expect(screen).toMatch(/^AGAIN=0$/m);
    expect(screen.match(/MFA code for/g)).toHaveLength(1);
    expect(screen).not.toContain('AWS_SECRET_ACCESS_KEY');
    expect(await readFile(out, 'utf8')).toMatch(/^export AWS_ACCESS_KEY_ID='AKIAIOSFODNN7EXAMPLE'$/m);
    expect(proxy.seen.map((r) => [r.action, r.params.SerialNumber, r.params.TokenCode])).toEqual([['GetSessionToken', SERIAL, '123456']]);
  });

  needs('botocore').it('credential_process under botocore (stdin /dev/null, stdout and stderr captured): the prompt and the answer go through /dev/tty', async () => {
    const out = join(home, 'creds.json');
    const script = 'import json, botocore.session\nc = botocore.session.Session(profile="alice-cp").get_credentials().get_frozen_credentials()\nprint(json.dumps([c.access_key, c.token]))';
    session = await startTmux({
      name: 'awskeys-mfa-cp',
      command: `python3 -c ${shellQuote(script)} < /dev/null > ${shellQuote(out)} 2>&1; echo EXIT=$?`,
      env,
      cwd: home,
    });
    await session.waitFor(`MFA code for ${SERIAL}`, 20_000);
    await session.type('654321');
    await session.sendKeys('Enter');
    const screen = await session.waitFor(/^EXIT=\d+$/m, 20_000);
    expect(screen).toMatch(/^EXIT=0$/m);
    const [accessKey, token] = JSON.parse(await readFile(out, 'utf8')) as string[];
    expect(accessKey).toBe('AKIAIOSFODNN7EXAMPLE');
    expect(token).toMatch(/^AQoE/);
    expect(proxy.seen.map((r) => [r.action, r.params.TokenCode])).toEqual([['GetSessionToken', '654321']]);
  });
});
