import type { HostFacts } from '../app/host-facts.js';
import { isCi } from '../app/is-ci.js';

/**
 * Why a browser on this machine probably cannot be used (so the login should use the device
 * flow, whose URL can be opened on any device), or undefined when it can. The PKCE redirect goes
 * to 127.0.0.1 on THIS machine: from an SSH session or a container a browser elsewhere cannot
 * reach it. Same signals as granted's IsHeadlessEnvironment, plus a Linux desktop check.
 */
export function headlessReason(env: NodeJS.ProcessEnv, host: HostFacts): string | undefined {
  if (isCi(env)) return 'running in CI';
  if (env.SSH_CONNECTION || env.SSH_TTY || env.SSH_CLIENT) return 'an SSH session';
  if (host.inContainer) return 'running in a container';
  if (env.CODESPACES || env.CLOUD_SHELL) return 'a cloud shell';
  if (host.platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY) return 'no display';
  return undefined;
}
