import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { authorize, confirmationPage, decide, type AuthorizeSettings } from './authorize.js';
import { verifyDpopProof } from './dpop.js';
import { SigninState } from './state.js';
import { accountIdOf, credentials, idToken, idTokenKey, peekGrant, redeemCode, refresh, validateTokenInput, type TokenSettings } from './token.js';
import type { Grant, SeededSession, SigninCalls, SigninEmulator, SigninEmulatorOptions, SigninFault } from './types.js';
import { SAME_DEVICE_CLIENT_ID } from './types.js';
import { invalidRequest, readBody, redirect, sendHtml, sendJson, sendSigninError, SigninError, statusFor } from './wire.js';
import { jwkThumbprint, publicJwk } from './dpop.js';

export type {
  Grant,
  JsonWebKeyLike,
  OAuth2ErrorCode,
  SeededSession,
  SeedSessionOptions,
  SigninCalls,
  SigninClientId,
  SigninEmulator,
  SigninEmulatorOptions,
  SigninErrorType,
  SigninFault,
} from './types.js';
export { CROSS_DEVICE_CLIENT_ID, OAUTH2_ERROR_CODES, SAME_DEVICE_CLIENT_ID } from './types.js';
export { verificationCode } from './authorize.js';

export const DEFAULT_USERS: readonly string[] = ['arn:aws:iam::111122223333:user/alice'];

interface ActiveFault {
  fault: SigninFault;
  skip: number;
  remaining: number;
}

/**
 * A local AWS Sign-In service: the browser side of `aws login` (/v1/authorize, the sign-in page,
 * the cross-device confirmation page) and CreateOAuth2Token (/v1/token) in the service's
 * rest-json dialect with DPoP, on one loopback port, so botocore's LoginProvider and the JS SDK's
 * fromLoginCredentials work against it through AWS_ENDPOINT_URL_SIGNIN.
 */
export async function startSigninEmulator(options: SigninEmulatorOptions = {}): Promise<SigninEmulator> {
  const state = new SigninState([...(options.users ?? DEFAULT_USERS)], options.now ?? Date.now);
  const calls: SigninCalls = { authorize: 0, authorization_code: 0, refresh_token: 0, other: 0 };
  let faults: ActiveFault[] = [];
  const dpopIatWindowSeconds = options.dpopIatWindowSeconds ?? 300;
  const tokenSettings: TokenSettings = {
    baseUrl: '',
    credentialsTtlSeconds: options.credentialsTtlSeconds ?? 900,
    sessionMaxSeconds: options.sessionMaxSeconds ?? 12 * 3600,
    refreshReuseWindowSeconds: options.refreshReuseWindowSeconds ?? 0,
    idTokenKey: idTokenKey(),
  };
  const authorizeSettings: AuthorizeSettings = {
    baseUrl: '',
    authCodeTtlSeconds: options.authCodeTtlSeconds ?? 300,
    autoApprove: options.autoApprove ?? false,
  };

  const takeFault = (grant: Grant | undefined): SigninFault | undefined => {
    const active = faults.find((f) => f.fault.grant === undefined || f.fault.grant === grant);
    if (!active) return undefined;
    if (active.skip > 0) {
      active.skip -= 1;
      return undefined;
    }
    active.remaining -= 1;
    if (active.remaining <= 0) faults = faults.filter((f) => f !== active);
    return active.fault;
  };

  const createOAuth2Token = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const text = await readBody(req);
    let doc: unknown;
    try {
      doc = text.trim() === '' ? {} : JSON.parse(text);
    } catch {
      doc = undefined;
    }
    const grant = peekGrant(doc);
    calls[grant ?? 'other'] += 1;
    const fault = takeFault(grant);
    if (fault) {
      const error = fault.error ?? (fault.errorType === 'InternalServerException' ? 'server_error' : 'INVALID_REQUEST');
      throw new SigninError(fault.errorType, error, fault.message ?? `Injected ${fault.errorType}`, fault.status ?? statusFor(fault.errorType, error));
    }
    if (doc === undefined) throw invalidRequest('Request body is not valid JSON');
    const input = validateTokenInput(doc);
    const proof = verifyDpopProof(req.headers.dpop, {
      method: req.method ?? '',
      url: `http://${req.headers.host ?? ''}${new URL(req.url ?? '/', 'http://x').pathname}`,
      nowMs: state.now(),
      iatWindowSeconds: dpopIatWindowSeconds,
      rememberJti: state.rememberJti,
    });
    const output =
      input.grantType === 'authorization_code'
        ? redeemCode(state, tokenSettings, input, proof.jkt)
        : refresh(state, tokenSettings, input, proof.jkt);
    // rest-json with `payload: tokenOutput`: the body is the tokenOutput structure itself.
    sendJson(res, 200, output);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://emulator');
    const route = `${req.method ?? ''} ${url.pathname}`;
    if (route === 'POST /v1/token') {
      try {
        await createOAuth2Token(req, res);
      } catch (err) {
        sendSigninError(res, err instanceof SigninError ? err : new SigninError('InternalServerException', 'server_error', String(err)));
      }
      return;
    }
    if (route === 'GET /v1/authorize') {
      calls.authorize += 1;
      const outcome = authorize(state, authorizeSettings, url.searchParams);
      if ('redirect' in outcome) redirect(res, outcome.redirect);
      else sendHtml(res, outcome.status, outcome.page);
      return;
    }
    if (route === 'POST /v1/authorize') {
      const form = new URLSearchParams(await readBody(req));
      const decision = form.get('decision') === 'allow' ? 'allow' : 'deny';
      const requestId = form.get('request_id') ?? '';
      if (!state.requests.has(requestId)) {
        sendHtml(res, 400, 'This sign-in request has expired or was already answered.\n');
        return;
      }
      redirect(res, decide(state, authorizeSettings, requestId, decision, form.get('login_session') ?? undefined));
      return;
    }
    if (route === 'GET /v1/sessions/confirmation') {
      const { status, page } = confirmationPage(url.searchParams);
      sendHtml(res, status, page);
      return;
    }
    sendSigninError(res, new SigninError('ValidationException', 'INVALID_REQUEST', 'Unknown operation', 404));
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendSigninError(res, new SigninError('InternalServerException', 'server_error', String(err)));
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  tokenSettings.baseUrl = baseUrl;
  authorizeSettings.baseUrl = baseUrl;

  const seedSession: SigninEmulator['seedSession'] = (seed): SeededSession => {
    const loginSession = seed.loginSession ?? state.users[0] ?? '';
    const clientId = seed.clientId ?? SAME_DEVICE_CLIENT_ID;
    const jkt = jwkThumbprint(publicJwk(seed.dpopJwk));
    const session = state.newSession(loginSession, clientId);
    const ttl = seed.credentialsTtlSeconds ?? tokenSettings.credentialsTtlSeconds;
    const minted = credentials(state, ttl);
    return {
      loginSession,
      accountId: accountIdOf(loginSession),
      clientId,
      refreshToken: state.newRefreshToken(session.id, jkt, clientId),
      idToken: idToken(tokenSettings, session, state.now()),
      ...minted.accessToken,
      expiresAt: new Date(state.now() + ttl * 1000),
    };
  };

  return {
    url: baseUrl,
    env: { AWS_ENDPOINT_URL_SIGNIN: baseUrl },
    calls,
    resetCalls() {
      calls.authorize = 0;
      calls.authorization_code = 0;
      calls.refresh_token = 0;
      calls.other = 0;
    },
    // Idempotent, so a test can close in afterEach whatever happened.
    close: () =>
      new Promise<void>((resolve, reject) => {
        if (!server.listening) {
          resolve();
          return;
        }
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
    setAutoApprove(on) {
      authorizeSettings.autoApprove = on;
    },
    setCredentialsTtl(seconds) {
      tokenSettings.credentialsTtlSeconds = seconds;
    },
    advanceClock(seconds) {
      state.offsetMs += seconds * 1000;
    },
    seedSession,
    revokeSession(who, reason = 'TOKEN_EXPIRED') {
      const bySession = who.refreshToken === undefined ? undefined : state.refreshTokens.get(who.refreshToken)?.sessionId;
      let ended = 0;
      for (const session of state.sessions.values()) {
        if ((bySession !== undefined && session.id === bySession) || (who.loginSession !== undefined && session.loginSession === who.loginSession)) {
          session.ended = reason;
          ended += 1;
        }
      }
      if (ended === 0) throw new Error('Sign-In emulator: no such session');
    },
    denyPermission(loginSession, denied = true) {
      if (denied) state.deniedPermission.add(loginSession);
      else state.deniedPermission.delete(loginSession);
    },
    injectFault(fault) {
      faults.push({ fault, skip: fault.afterCalls ?? 0, remaining: fault.times ?? 1 });
    },
    throttleNext(times = 1) {
      faults.push({ fault: { errorType: 'TooManyRequestsError', message: 'Rate exceeded' }, skip: 0, remaining: times });
    },
    clearFaults() {
      faults = [];
    },
    isRefreshTokenActive(refreshToken) {
      const record = state.refreshTokens.get(refreshToken);
      const session = record && state.sessions.get(record.sessionId);
      return !!record && !!session && record.rotatedAtMs === undefined && !session.ended;
    },
    get issuedAccessKeyIds() {
      return [...state.issuedAccessKeyIds];
    },
    get pendingAuthorizations() {
      return [...state.requests.keys()];
    },
    approve: (requestId, loginSession) => decide(state, authorizeSettings, requestId, 'allow', loginSession),
    deny: (requestId) => decide(state, authorizeSettings, requestId, 'deny', undefined),
  };
}
