/**
 * Plays the user's web browser for the authorization-code login: opens a URL, follows every
 * redirect wherever it leads (the emulator's /authorize, then awskeys' 127.0.0.1 listener), and
 * on the emulator's consent page presses Allow or Deny. No shortcut into the emulator's state:
 * only HTTP, as a browser would.
 */
export interface BrowserVisit {
  /** Every URL loaded, in order. */
  visited: string[];
  /** The last page: its status and text. */
  status: number;
  body: string;
}

export async function playBrowser(url: string, decision: 'allow' | 'deny' = 'allow'): Promise<BrowserVisit> {
  const visited: string[] = [];
  let next: { url: string; init: RequestInit } | undefined = { url, init: {} };
  for (let hops = 0; next && hops < 10; hops += 1) {
    visited.push(next.url);
    const response: Response = await fetch(next.url, { ...next.init, redirect: 'manual' });
    const location = response.headers.get('location');
    const body = await response.text();
    if (response.status >= 300 && response.status < 400 && location !== null) {
      next = { url: new URL(location, next.url).toString(), init: {} };
      continue;
    }
    const requestId = /name="request_id" value="([^"]+)"/.exec(body)?.[1];
    if (requestId === undefined) return { visited, status: response.status, body };
    // The consent form posts where its action says (the SSO emulator's /authorize, Sign-In's /v1/authorize).
    const consent: URL = new URL(/<form method="post" action="([^"]+)"/.exec(body)?.[1] ?? '/authorize', next.url);
    next = {
      url: consent.toString(),
      init: {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ request_id: requestId, decision }).toString(),
      },
    };
  }
  throw new Error(`the browser was redirected too many times: ${visited.join(' -> ')}`);
}

/** openUrl as the user's browser: loads the page it is given (in the background, like a real one), pressing Allow or Deny. */
export function userBrowser(decision: 'allow' | 'deny' = 'allow'): { opened: string[]; visit: () => Promise<BrowserVisit> | undefined; openUrl: (url: string) => Promise<void> } {
  const opened: string[] = [];
  let visit: Promise<BrowserVisit> | undefined;
  return {
    opened,
    visit: () => visit,
    openUrl: (url: string) => {
      opened.push(url);
      visit = playBrowser(url, decision);
      return Promise.resolve();
    },
  };
}

/**
 * Where a local page sends its browser, read as a browser would: the meta refresh's URL and
 * the one given to location.replace, which must agree (undefined when the page has neither).
 */
export function forwardTarget(html: string): string | undefined {
  const meta = /<meta http-equiv="refresh" content="0;url=([^"]*)">/i.exec(html)?.[1];
  const script = /<script>location\.replace\(("(?:[^"\\]|\\.)*")\);<\/script>/.exec(html)?.[1];
  if (meta === undefined || script === undefined) return undefined;
  const fromMeta = meta.replace(/&(amp|quot|lt|gt|#39);/g, (_, name: string) => ({ amp: '&', quot: '"', lt: '<', gt: '>', '#39': "'" })[name] ?? '');
  const fromScript = JSON.parse(script) as string;
  if (fromMeta !== fromScript) throw new Error(`the page forwards to two places: ${fromMeta} and ${fromScript}`);
  return fromMeta;
}
