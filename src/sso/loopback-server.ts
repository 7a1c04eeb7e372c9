import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ListenLoopback } from '../app/deps.js';
import { InterruptedError, LoginFailedError } from '../errors/cli-error.js';
import { safeDetail } from '../text/redact.js';

/** The path the AWS CLI registers and IAM Identity Center accepts (other paths are refused). */
export const CALLBACK_PATH = '/oauth/callback';
/** Registered without a port: RFC 8252 §7.3 lets a loopback redirect use any port. */
export const REGISTERED_REDIRECT_URI = `http://127.0.0.1${CALLBACK_PATH}`;

export interface LoopbackListener {
  /** http://127.0.0.1:PORT/oauth/callback, for /authorize and CreateToken (they must match exactly). */
  readonly redirectUri: string;
  /**
   * Resolves with the authorization code of the first callback that carries `state`; rejects
   * with LoginFailedError when the browser reports an error, the state does not match, or
   * `timeoutMs` passes, and with InterruptedError on `signal`.
   */
  waitForCode(state: string, options: { timeoutMs: number; signal: AbortSignal }): Promise<string>;
  close(): Promise<void>;
}

/** Who signs the user in, for the pages and messages: `sso login` and `awskeys login` share the listener. */
export interface CallbackWording {
  /** "IAM Identity Center", "AWS Sign-In". */
  service: string;
  /** The flag for a sign-in on another device: --use-device-code, --remote. */
  otherDeviceFlag: string;
}

const SSO_WORDING: CallbackWording = { service: 'IAM Identity Center', otherDeviceFlag: '--use-device-code' };

type Outcome = { code: string; state: string } | { error: string; description: string };

/**
 * Listens on 127.0.0.1 (never all interfaces) on a port the system picks, and resolves only once
 * the socket is listening: the browser is opened after this, so a warm IAM Identity Center
 * session that redirects at once never meets a closed port (aws-sso-cli#1441). Only GET
 * /oauth/callback is answered; anything else (favicon) gets 404 and the wait goes on.
 */
export async function listenForCallback(listen: ListenLoopback, wording: CallbackWording = SSO_WORDING): Promise<LoopbackListener> {
  let deliver: ((outcome: Outcome) => void) | undefined;
  let pending: Outcome | undefined;
  const server = await listen((req, res) => {
    const outcome = handle(req, res, wording);
    if (!outcome || pending) return;
    pending = outcome;
    deliver?.(outcome);
  });
  return {
    redirectUri: `${server.url}${CALLBACK_PATH}`,
    close: () => server.close(),
    waitForCode(state, { timeoutMs, signal }) {
      return new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => {
          cleanup();
          const waited = timeoutMs >= 60_000 ? `${Math.round(timeoutMs / 60_000)} min` : `${Math.round(timeoutMs / 1000)} s`;
          reject(
            new LoginFailedError(`No sign-in arrived from the browser within ${waited}; nothing was written.`, {
              hint: `run the login again; if the browser cannot reach this machine (SSH, container), add ${wording.otherDeviceFlag}`,
            }),
          );
        }, timeoutMs);
        const finish = (outcome: Outcome): void => {
          cleanup();
          if ('error' in outcome) {
            const detail = outcome.description ? `: ${safeDetail(outcome.description)}` : '';
            reject(
              new LoginFailedError(`The sign-in in the browser failed (${safeDetail(outcome.error)}${detail}); nothing was written.`, {
                hint: 'run the login again',
              }),
            );
          } else if (!sameText(outcome.state, state)) {
            reject(
              new LoginFailedError('The browser returned to awskeys with a state that does not match this login; nothing was written.', {
                hint: 'run the login again, and open only the URL it prints',
              }),
            );
          } else {
            resolve(outcome.code);
          }
        };
        const onAbort = (): void => {
          cleanup();
          reject(new InterruptedError());
        };
        const cleanup = (): void => {
          deliver = undefined;
          clearTimeout(timer);
          signal.removeEventListener('abort', onAbort);
        };
        if (signal.aborted) {
          onAbort();
          return;
        }
        signal.addEventListener('abort', onAbort, { once: true });
        if (pending) finish(pending);
        else deliver = finish;
      });
    },
  };
}

/** Answers one request; returns what it carried when it is the callback with a result. */
function handle(req: IncomingMessage, res: ServerResponse, wording: CallbackWording): Outcome | undefined {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  if (req.method !== 'GET' || url.pathname !== CALLBACK_PATH) {
    page(res, 404, 'Not found', `This address only receives the ${wording.service} sign-in.`);
    return undefined;
  }
  const q = url.searchParams;
  const error = q.get('error');
  if (error !== null) {
    const description = q.get('error_description') ?? '';
    page(res, 200, 'Sign-in failed', `${wording.service} reported: ${error}${description ? ` (${description})` : ''}. Return to the terminal.`);
    return { error, description };
  }
  const code = q.get('code');
  const state = q.get('state');
  if (!code || state === null) {
    page(res, 400, 'Sign-in failed', 'The sign-in returned no authorization code. Return to the terminal and run the login again.');
    return undefined;
  }
  page(res, 200, 'Signed in', 'awskeys has your sign-in. You can close this tab and return to the terminal.');
  return { code, state };
}

function page(res: ServerResponse, status: number, title: string, text: string): void {
  const body = `<!doctype html>
<html><head><meta charset="utf-8"><title>awskeys: ${escapeHtml(title)}</title></head>
<body style="font-family: sans-serif; margin: 3em"><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p></body></html>
`;
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
    'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'",
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    Connection: 'close',
  });
  res.end(body);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Constant-time comparison, so the state cannot be guessed a character at a time. */
function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
