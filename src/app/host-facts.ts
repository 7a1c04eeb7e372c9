import { existsSync } from 'node:fs';

/**
 * What the machine is like, where that decides how a login can reach a browser (sso/headless.ts).
 * Beside deps.ts, which carries it (Deps.host), so that deps.ts imports nothing from a service.
 */
export interface HostFacts {
  platform: NodeJS.Platform;
  /** Docker (/.dockerenv), Podman (/run/.containerenv) or a `container` variable (systemd-nspawn, toolbox). */
  inContainer: boolean;
}

export function realHostFacts(env: NodeJS.ProcessEnv): HostFacts {
  return {
    platform: process.platform,
    inContainer: Boolean(env.container) || existsSync('/.dockerenv') || existsSync('/run/.containerenv'),
  };
}
