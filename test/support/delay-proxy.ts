import { startFaultProxy } from './fault-proxy.js';

/**
 * A slow network in front of a real server (moto): every request is held for `delayMs`, then
 * forwarded as is, and the answer passed back. Tests point AWS_ENDPOINT_URL_<SERVICE> at it to
 * press Ctrl-C while a call is in flight. The fault proxy (fault-proxy.ts) with one rule for
 * every action: a request is forwarded even when the client gave up meanwhile, as a real server
 * that already received it would still carry it out.
 */
export interface DelayProxy {
  url: string;
  /** The actions received so far ("ListAccessKeys", ...), in order. */
  readonly actions: readonly string[];
  /** Resolves as soon as a request for `action` arrives (before it is held and forwarded). */
  arrived(action: string): Promise<void>;
  close(): Promise<void>;
}

export async function startDelayProxy(target: string, delayMs: number): Promise<DelayProxy> {
  const proxy = await startFaultProxy(target);
  proxy.faults.push({ action: '*', effect: 'delay', delayMs });
  return {
    url: proxy.url,
    get actions() {
      return proxy.seen.map((r) => r.action);
    },
    arrived: async (action) => {
      await proxy.arrival((r) => r.action === action);
    },
    close: () => proxy.close(),
  };
}
