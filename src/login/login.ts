import { randomUUID } from 'node:crypto';
import type { Deps } from '../app/deps.js';
import { realHostFacts } from '../app/host-facts.js';
import { editSection } from '../aws-files/ini-edit.js';
import { withFileLock } from '../aws-files/lock.js';
import { awsFilePaths } from '../aws-files/paths.js';
import { assertStillAllowed, profileOverwrite, withCurrent, type OverwriteApproval, type ProfileWrite } from '../aws-files/profile-overwrite.js';
import { getProfile, readAwsFiles } from '../aws-files/profiles.js';
import { assertValidSectionName, profileSectionName } from '../aws-files/sections.js';
import { updateAwsFile } from '../aws-files/update-file.js';
import { resolvedEndpoint } from '../aws-sdk/endpoint-probe.js';
import { AwsServiceError, CancelledError, InterruptedError, LoginFailedError, NeedsInputError } from '../errors/cli-error.js';
import { nonEmpty } from '../resolve/hints.js';
import { codeChallenge, codeVerifier, DEFAULT_AUTH_TIMEOUT_MS } from '../sso/auth-code-flow.js';
import { headlessReason } from '../sso/headless.js';
import { listenForCallback } from '../sso/loopback-server.js';
import { shellWord } from '../text/shell-word.js';
import { formatTimestamp } from '../util/timestamp.js';
import {
  accountOfArn,
  authorizationUrl,
  confirmationUri,
  CROSS_DEVICE_CLIENT,
  loginSessionOf,
  parseVerificationCode,
  SAME_DEVICE_CLIENT,
} from './authorization.js';
import { newDpopKey, type DpopKey } from './dpop.js';
import { cliTimestamp, loginCacheDir, loginCachePath, writeLoginCache, type LoginCacheDoc } from './login-cache.js';
import { createOAuth2Token, type SigninTokens, type TokenGrant } from './token.js';

export interface ConsoleLoginOptions {
  /** --profile (else AWS_PROFILE, else default). */
  profile?: string | undefined;
  /** --region: the Sign-In region; else the profile's, AWS_REGION, AWS_DEFAULT_REGION, a question. */
  region?: string | undefined;
  /** --remote: sign in on another device and paste the code back. */
  remote: boolean;
  /** --no-browser: print the URL only. */
  openBrowser: boolean;
  /** --force: replace the profile's other login session without asking. */
  force: boolean;
  /** How long the loopback listener waits for the browser. */
  timeoutMs?: number | undefined;
}

/** The AWS CLI's region when none is set and the user accepts the question's default. */
const DEFAULT_REGION = 'us-east-1';
const WORDING = { flag: '--profile', outcome: 'nothing was written' };
const CALLBACK = { service: 'AWS Sign-In', otherDeviceFlag: '--remote' };

/**
 * `awskeys login`: the AWS CLI's `aws login` (awscli/customizations/login; docs/login.md). The
 * user signs in to the console in a browser; the authorization code, its PKCE verifier and a DPoP
 * proof from a key made for this login become 15-minute credentials and a refresh token
 * (CreateOAuth2Token), cached where the AWS CLI and the SDKs read them, and the profile gets
 * `login_session`. Nothing is written before the sign-in succeeded, and the profile is checked
 * against the one overwrite policy before the browser opens and again under the config's lock.
 */
export async function consoleLogin(options: ConsoleLoginOptions, deps: Deps): Promise<void> {
  const name = options.profile ?? nonEmpty(deps.env.AWS_PROFILE) ?? 'default';
  assertValidSectionName(name);
  const paths = awsFilePaths(deps.env, deps.homeDir);
  const files = await readAwsFiles(paths);
  const before = profileOverwrite(files, name, { kind: 'login-session', loginSession: undefined }, WORDING);
  if (before.verdict === 'refuse') throw before.error;
  if (options.remote && !deps.prompter.interactive) {
    throw new NeedsInputError('awskeys login --remote asks for the code the browser shows, and there is no terminal to paste it into.', {
      hint: 'run it in a terminal, or without --remote on a machine with a browser',
    });
  }
  const profile = getProfile(files, name) ?? {};
  const region = await signinRegion(options.region, profile.region, deps);

  const dpopKey = newDpopKey();
  const tokens = options.remote ? await crossDevice(name, region.name, dpopKey, deps) : await sameDevice(name, region.name, dpopKey, options, deps);
  const loginSession = loginSessionOf(tokens.idToken);
  if (loginSession === undefined) throw new AwsServiceError('Sign-In answered CreateOAuth2Token without an id token naming the login session; nothing was written.');

  const write: ProfileWrite = { kind: 'login-session', loginSession };
  const approval = await approveReplacement(name, write, options.force, deps);
  const accountId = accountOfArn(loginSession);
  const expiresAt = cliTimestamp(new Date(deps.clock.now().getTime() + tokens.expiresIn * 1000));
  const doc: LoginCacheDoc = {
    accessToken: { accessKeyId: tokens.accessKeyId, secretAccessKey: tokens.secretAccessKey, sessionToken: tokens.sessionToken, accountId, expiresAt },
    tokenType: tokens.tokenType,
    clientId: options.remote ? CROSS_DEVICE_CLIENT : SAME_DEVICE_CLIENT,
    refreshToken: tokens.refreshToken,
    idToken: tokens.idToken ?? '',
    dpopKey: dpopKey.pem,
  };
  const cachePath = await loginCachePath(loginCacheDir(deps.env, deps.homeDir), loginSession);
  const cacheWarnings = await withFileLock(cachePath, () => writeLoginCache(cachePath, doc), { clock: deps.clock, signal: deps.signal, timeoutMs: 30_000 });
  for (const warning of cacheWarnings) deps.report.warn(warning);

  const result = await updateAwsFile(
    paths.config,
    (text) =>
      editSection(text, profileSectionName('config', name), {
        login_session: loginSession,
        ...(region.save && profile.region === undefined ? { region: region.name } : {}),
      }),
    { clock: deps.clock, signal: deps.signal, decide: (current) => assertStillAllowed(withCurrent(files, 'config', current), name, write, approval, WORDING) },
  );
  for (const warning of result.warnings) deps.report.warn(warning);
  deps.report.info(`Updated profile ${name} to use ${loginSession} credentials (valid until ${formatTimestamp(new Date(expiresAt))}; renewed as they are used, for up to 12 hours).`);
  if (name !== 'default') deps.report.info(`Use "--profile ${shellWord(name)}" to use them, such as: aws sts get-caller-identity --profile ${shellWord(name)}`);
}

/** The region as the AWS CLI finds it; `save`: it was asked for or given, so the profile keeps it (when it has none). */
async function signinRegion(flag: string | undefined, profileRegion: string | undefined, deps: Deps): Promise<{ name: string; save: boolean }> {
  if (flag !== undefined) return { name: flag, save: true };
  const known = nonEmpty(profileRegion) ?? nonEmpty(deps.env.AWS_REGION) ?? nonEmpty(deps.env.AWS_DEFAULT_REGION);
  if (known !== undefined) return { name: known, save: false };
  const answer = await deps.prompter.input({
    name: 'login.region',
    message: 'No AWS region is configured. AWS Region (where your resources are; the nearest one if you have none):',
    default: DEFAULT_REGION,
    flag: '--region',
    validate: (value) => (/^[a-z]+(-[a-z]+)+-\d+$/.test(value.trim()) ? undefined : 'A region looks like us-east-1 or eu-west-2.'),
  });
  return { name: answer.trim(), save: true };
}

/** Same device: the loopback listener is up before the browser opens; its redirect carries the code. */
async function sameDevice(profile: string, region: string, dpopKey: DpopKey, options: ConsoleLoginOptions, deps: Deps): Promise<SigninTokens> {
  const base = await signinBase(region, deps);
  const listener = await listenForCallback(deps.listenLoopback, CALLBACK);
  try {
    const verifier = codeVerifier();
    const state = randomUUID();
    const url = authorizationUrl({ base, clientId: SAME_DEVICE_CLIENT, state, codeChallenge: codeChallenge(verifier), redirectUri: listener.redirectUri });
    deps.report.info('To sign in, open this URL in a browser on this machine:');
    deps.report.info(`  ${url}`);
    const headless = headlessReason(deps.env, deps.host ?? realHostFacts(deps.env));
    if (!options.openBrowser || headless !== undefined) {
      deps.report.info(`Not opening a browser (${options.openBrowser ? (headless ?? '') : '--no-browser'}). With the browser on another device, run this again with --remote.`);
    } else {
      try {
        await deps.openUrl(url);
        deps.report.info('Opened it in your browser. (From another device, run this again with --remote.)');
      } catch (err) {
        if (err instanceof InterruptedError) throw err;
        deps.report.warn(`could not open a browser (${(err as Error).message}); open the URL above yourself.`);
      }
    }
    const timeoutMs = options.timeoutMs ?? DEFAULT_AUTH_TIMEOUT_MS;
    deps.report.info(`Waiting for the sign-in in the browser (up to ${String(Math.round(timeoutMs / 60_000))} min)...`);
    const code = await listener.waitForCode(state, { timeoutMs, signal: deps.signal });
    const grant: TokenGrant = { grantType: 'authorization_code', clientId: SAME_DEVICE_CLIENT, code, codeVerifier: verifier, redirectUri: listener.redirectUri };
    return await token(profile, region, dpopKey, grant, deps);
  } finally {
    await listener.close();
  }
}

/** Another device: the user opens the URL anywhere, and pastes back the code the confirmation page shows. */
async function crossDevice(profile: string, region: string, dpopKey: DpopKey, deps: Deps): Promise<SigninTokens> {
  const base = await signinBase(region, deps);
  const verifier = codeVerifier();
  const state = randomUUID();
  const redirectUri = confirmationUri(base);
  const url = authorizationUrl({ base, clientId: CROSS_DEVICE_CLIENT, state, codeChallenge: codeChallenge(verifier), redirectUri });
  deps.report.info('Open this URL in a browser on any device and sign in:');
  deps.report.info(`  ${url}`);
  const pasted = await deps.prompter.input({
    name: 'login.code',
    message: 'Enter the authorization code displayed in your browser:',
    validate: (value) => {
      const parsed = parseVerificationCode(value);
      return 'problem' in parsed ? parsed.problem : undefined;
    },
  });
  const parsed = parseVerificationCode(pasted);
  if ('problem' in parsed) throw new LoginFailedError(`${parsed.problem} Nothing was written.`, { hint: 'run awskeys login --remote again' });
  if (parsed.state !== state) {
    throw new LoginFailedError('The pasted code belongs to another sign-in (its state does not match this login); nothing was written.', {
      hint: 'run awskeys login --remote again, and open only the URL it prints',
    });
  }
  return token(profile, region, dpopKey, { grantType: 'authorization_code', clientId: CROSS_DEVICE_CLIENT, code: parsed.code, codeVerifier: verifier, redirectUri }, deps);
}

function token(profile: string, region: string, dpopKey: DpopKey, grant: TokenGrant, deps: Deps): Promise<SigninTokens> {
  return createOAuth2Token(deps.aws, { region, dpopKey, grant, profile, now: () => deps.clock.now(), signal: deps.signal });
}

/** scheme://host[:port] of the Sign-In endpoint the SDK would call (partition, FIPS, AWS_ENDPOINT_URL_SIGNIN). */
async function signinBase(region: string, deps: Deps): Promise<string> {
  const { CreateOAuth2TokenCommand } = await import('@aws-sdk/nested-clients/signin');
  const client = await deps.aws.signin(region);
  try {
    const probe = new CreateOAuth2TokenCommand({ tokenInput: { clientId: SAME_DEVICE_CLIENT, grantType: 'authorization_code' } });
    return await resolvedEndpoint((command) => client.send(command as unknown as typeof probe), probe);
  } finally {
    client.destroy();
  }
}

/** Another login session in the profile: replaced with --force or a yes on a terminal (the AWS CLI's y/n). */
async function approveReplacement(name: string, write: ProfileWrite, force: boolean, deps: Deps): Promise<OverwriteApproval> {
  const files = await readAwsFiles(awsFilePaths(deps.env, deps.homeDir));
  const verdict = profileOverwrite(files, name, write, WORDING);
  if (verdict.verdict === 'refuse') throw verdict.error;
  if (verdict.verdict !== 'replace' || force) return { force };
  if (!deps.prompter.interactive) throw new NeedsInputError(`${verdict.situation}; nothing was written.`, { hint: verdict.hint });
  const yes = await deps.prompter.confirm({ name: 'login.replace-session', message: `${verdict.situation}. ${verdict.question}`, default: false, flag: '--force' });
  if (!yes) throw new CancelledError(`Profile ${name} keeps its login session; nothing was written.`);
  return { force, replacing: { heldKeyId: verdict.heldKeyId } };
}
