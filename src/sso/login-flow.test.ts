import { describe, expect, it } from 'vitest';
import { ExitCode } from '../errors/cli-error.js';
import { headlessReason } from './headless.js';
import { chooseFlowKind } from './login-flow.js';

const session = { sessionName: 'corp', startUrl: 'https://corp.awsapps.com/start', region: 'us-east-1' };
const legacy = { startUrl: 'https://corp.awsapps.com/start', region: 'us-east-1' };
const desktop = { platform: 'linux' as const, inContainer: false };

describe('headlessReason: when a browser here cannot take the 127.0.0.1 redirect', () => {
  it.each([
    [{ CI: 'true', DISPLAY: ':0' }, desktop, 'running in CI'],
    [{ SSH_CONNECTION: '10.0.0.1 22 10.0.0.2 22', DISPLAY: ':0' }, desktop, 'an SSH session'],
    [{ SSH_TTY: '/dev/pts/1' }, { platform: 'darwin' as const, inContainer: false }, 'an SSH session'],
    [{ DISPLAY: ':0' }, { platform: 'linux' as const, inContainer: true }, 'running in a container'],
    [{ CODESPACES: 'true', DISPLAY: ':0' }, desktop, 'a cloud shell'],
    [{}, desktop, 'no display'],
    [{ WAYLAND_DISPLAY: 'wayland-0' }, desktop, undefined],
    [{ CI: 'false' }, { platform: 'darwin' as const, inContainer: false }, undefined],
    [{}, { platform: 'win32' as const, inContainer: false }, undefined],
  ])('%j on %j: %s', (env, host, reason) => {
    expect(headlessReason(env, host)).toBe(reason);
  });
});

describe('chooseFlowKind', () => {
  it('PKCE for an sso-session on a desktop, as the AWS CLI since 2.22', () => {
    expect(chooseFlowKind(session, undefined, { DISPLAY: ':0' }, desktop)).toEqual({ kind: 'auth-code' });
  });

  it('the device flow, with the reason, when headless', () => {
    expect(chooseFlowKind(session, undefined, { SSH_TTY: '/dev/pts/0', DISPLAY: ':0' }, desktop)).toEqual({
      kind: 'device-code',
      reason: 'an SSH session',
    });
  });

  it('the device flow, silently, for a legacy profile (PKCE needs a named session)', () => {
    expect(chooseFlowKind(legacy, undefined, { DISPLAY: ':0' }, desktop)).toEqual({ kind: 'device-code' });
  });

  it('the flags win over the machine', () => {
    expect(chooseFlowKind(session, 'device-code', { DISPLAY: ':0' }, desktop)).toEqual({ kind: 'device-code' });
    expect(chooseFlowKind(session, 'auth-code', { SSH_TTY: '/dev/pts/0' }, desktop)).toEqual({ kind: 'auth-code' });
  });

  it('refuses --use-auth-code for a legacy profile (exit 2)', () => {
    expect(() => chooseFlowKind(legacy, 'auth-code', {}, desktop)).toThrow(
      expect.objectContaining({ exitCode: ExitCode.Usage, message: '--use-auth-code needs an sso-session; this profile has the legacy sso_start_url/sso_region form.' }),
    );
  });
});
