import { join } from 'node:path';
import { readTextIfExists, writeFileAtomic } from '../aws-files/atomic-write.js';
import { FileError } from '../errors/cli-error.js';
import { shellWord } from '../text/shell-word.js';
import { sha1HexUtf8 } from '../util/sha1.js';
import { pythonJsonDumps } from '../text/python-json.js';
import { formatTimestamp, parseTimestamp } from '../util/timestamp.js';

/**
 * The SSO token cache shared with the AWS CLI, botocore and the JS SDK (~/.aws/sso/cache). Files
 * are read and written in exactly their format, so a user can switch tools without logging in
 * again. See shared/docs/protocol-reference.md §3.
 */
export interface SsoToken {
  startUrl: string;
  region: string;
  accessToken: string;
  expiresAt: Date;
  clientId?: string | undefined;
  clientSecret?: string | undefined;
  registrationExpiresAt?: Date | undefined;
  refreshToken?: string | undefined;
}

/** What identifies an SSO session: a named sso-session, or a legacy profile's start URL. */
export interface SsoSessionRef {
  sessionName?: string | undefined;
  startUrl: string;
  region: string;
  /** sso_registration_scopes as configured (undefined when unset). */
  scopes?: string[] | undefined;
}

/** `<sha1 of the session name>.json`, or of the start URL for a legacy profile. */
export function tokenCachePath(ssoCacheDir: string, ref: Pick<SsoSessionRef, 'sessionName' | 'startUrl'>): string {
  return join(ssoCacheDir, `${sha1HexUtf8(ref.sessionName ?? ref.startUrl)}.json`);
}

/** Reads a cached token; undefined when there is none. A file that is not a token is an error. */
export async function readToken(path: string): Promise<SsoToken | undefined> {
  const doc = await readJson(path);
  if (doc === undefined) return undefined;
  const expiresAt = parseTimestamp(doc.expiresAt);
  if (typeof doc.accessToken !== 'string' || !expiresAt) {
    throw new FileError(`The SSO token cache file ${path} has no valid accessToken/expiresAt.`, {
      hint: 'log in again to replace it: awskeys sso login --force',
    });
  }
  return {
    startUrl: str(doc.startUrl) ?? '',
    region: str(doc.region) ?? '',
    accessToken: doc.accessToken,
    expiresAt,
    clientId: str(doc.clientId),
    clientSecret: str(doc.clientSecret),
    registrationExpiresAt: parseTimestamp(doc.registrationExpiresAt),
    refreshToken: str(doc.refreshToken),
  };
}

/**
 * Writes a token in the AWS CLI's field order and format, atomically, mode 0600 (an existing file
 * open to other users is tightened). Returns warnings for the user (writeFileAtomic's).
 */
export async function writeToken(path: string, token: SsoToken): Promise<string[]> {
  const doc: Record<string, string> = {
    startUrl: token.startUrl,
    region: token.region,
    accessToken: token.accessToken,
    expiresAt: formatTimestamp(token.expiresAt),
  };
  if (token.clientId !== undefined) doc.clientId = token.clientId;
  if (token.clientSecret !== undefined) doc.clientSecret = token.clientSecret;
  if (token.registrationExpiresAt) doc.registrationExpiresAt = formatTimestamp(token.registrationExpiresAt);
  if (token.refreshToken !== undefined) doc.refreshToken = token.refreshToken;
  return writeFileAtomic(path, JSON.stringify(doc, null, 2), { mode: 0o600 });
}

/**
 * A cached SSO-OIDC client registration. The AWS CLI keeps both kinds under one file name and
 * tells them apart by `grantTypes`: a PKCE (authorization-code) registration lists
 * `authorization_code`, a device-flow one has no grantTypes.
 */
export interface ClientRegistration {
  clientId: string;
  clientSecret: string;
  expiresAt: Date;
  scopes?: string[] | undefined;
  grantTypes?: string[] | undefined;
}

/** The AWS CLI's _is_registration_for_auth_code. */
export function isAuthCodeRegistration(reg: ClientRegistration): boolean {
  return reg.grantTypes?.includes('authorization_code') ?? false;
}

/**
 * The AWS CLI's registration cache file name: sha1 of Python's
 * json.dumps({...}, sort_keys=True) with its default separators and ASCII escaping.
 */
export function registrationCachePath(ssoCacheDir: string, ref: SsoSessionRef): string {
  const key = pythonJsonDumps({
    region: ref.region,
    scopes: ref.scopes ?? null,
    session_name: ref.sessionName ?? null,
    startUrl: ref.startUrl,
    tool: 'botocore',
  });
  return join(ssoCacheDir, `${sha1HexUtf8(key)}.json`);
}

export async function readRegistration(path: string): Promise<ClientRegistration | undefined> {
  const doc = await readJson(path);
  if (doc === undefined) return undefined;
  const expiresAt = parseTimestamp(doc.expiresAt);
  const clientId = str(doc.clientId);
  const clientSecret = str(doc.clientSecret);
  if (!clientId || !clientSecret || !expiresAt) return undefined;
  return { clientId, clientSecret, expiresAt, scopes: strings(doc.scopes), grantTypes: strings(doc.grantTypes) };
}

/** Like writeToken: returns warnings for the user. */
export async function writeRegistration(path: string, reg: ClientRegistration): Promise<string[]> {
  const doc: Record<string, unknown> = {
    clientId: reg.clientId,
    clientSecret: reg.clientSecret,
    expiresAt: formatTimestamp(reg.expiresAt),
  };
  if (reg.scopes) doc.scopes = reg.scopes;
  if (reg.grantTypes) doc.grantTypes = reg.grantTypes;
  return writeFileAtomic(path, JSON.stringify(doc, null, 2), { mode: 0o600 });
}

async function readJson(path: string): Promise<Record<string, unknown> | undefined> {
  const text = await readTextIfExists(path);
  if (text === undefined) return undefined;
  try {
    const doc: unknown = JSON.parse(text);
    if (doc && typeof doc === 'object' && !Array.isArray(doc)) return doc as Record<string, unknown>;
  } catch {
    // fall through to the error below
  }
  throw new FileError(`The SSO cache file ${path} is not valid JSON.`, {
    hint: `delete it and log in again: rm ${shellWord(path)} && awskeys sso login`,
  });
}

function strings(value: unknown): string[] | undefined {
  return Array.isArray(value) ? value.filter((s): s is string => typeof s === 'string') : undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
