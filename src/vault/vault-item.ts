import type { VaultItem, VaultKey, VaultSession } from './vault-types.js';

/**
 * The one JSON shape of a vault item, in the keychain (the item's secret) and in the encrypted
 * file (one entry per profile): small, versioned, and nothing else of awskeys' shape.
 */
export const ITEM_VERSION = 1;

export interface ItemDocument {
  version: number;
  accessKeyId: string;
  secretAccessKey: string;
  userName?: string;
  createDate?: string;
  storedAt?: string;
  session?: VaultSession;
}

export function toDocument(item: VaultItem): ItemDocument {
  const { key, storedAt } = item;
  // Through the reader's own checks: exactly the session's fields, and no half session.
  const session = parseSession(item.session);
  return {
    version: ITEM_VERSION,
    accessKeyId: key.accessKeyId,
    secretAccessKey: key.secretAccessKey,
    ...(key.userName !== undefined ? { userName: key.userName } : {}),
    ...(key.createDate !== undefined ? { createDate: key.createDate } : {}),
    ...(storedAt !== undefined ? { storedAt } : {}),
    ...(session ? { session } : {}),
  };
}

/**
 * The item in `doc`, or a reason it is not one (a newer version, a missing field). A session that
 * does not parse is dropped: it is only a cache, and the next one replaces it.
 */
export function fromDocument(doc: unknown): VaultItem | string {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return 'not a JSON object';
  const d = doc as Record<string, unknown>;
  if (d.version !== ITEM_VERSION) {
    return typeof d.version === 'number' && d.version > ITEM_VERSION
      ? `written by a newer awskeys (item version ${d.version})`
      : 'no known item version';
  }
  if (!isText(d.accessKeyId) || !isText(d.secretAccessKey)) return 'no access key id or secret';
  const key: VaultKey = { accessKeyId: d.accessKeyId, secretAccessKey: d.secretAccessKey };
  if (isText(d.userName)) key.userName = d.userName;
  if (isText(d.createDate)) key.createDate = d.createDate;
  const item: VaultItem = { key };
  if (isText(d.storedAt)) item.storedAt = d.storedAt;
  const session = parseSession(d.session);
  if (session) item.session = session;
  return item;
}

function parseSession(value: unknown): VaultSession | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const s = value as Record<string, unknown>;
  if (!isText(s.accessKeyId) || !isText(s.secretAccessKey) || !isText(s.sessionToken) || !isText(s.expiration)) return undefined;
  if (typeof s.durationSeconds !== 'number') return undefined;
  return {
    accessKeyId: s.accessKeyId,
    secretAccessKey: s.secretAccessKey,
    sessionToken: s.sessionToken,
    expiration: s.expiration,
    durationSeconds: s.durationSeconds,
    ...(isText(s.mfaSerial) ? { mfaSerial: s.mfaSerial } : {}),
  };
}

/**
 * The item to write: `storedAt` kept from the previous item while the key id is the same, now for
 * a new key id.
 */
export function stamped(item: VaultItem, previous: VaultItem | undefined, now: Date): VaultItem {
  if (item.storedAt !== undefined) return item;
  const same = previous?.key.accessKeyId === item.key.accessKeyId ? previous.storedAt : undefined;
  return { ...item, storedAt: same ?? now.toISOString() };
}

function isText(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}
