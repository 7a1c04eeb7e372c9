import { createCipheriv, createDecipheriv, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * The encrypted vault file (docs/vault.md, D41): JSON text whose `data` is the items' JSON,
 * encrypted with AES-256-GCM under a key derived with scrypt from the passphrase.
 *
 * - The salt is made once per file and kept, so one derivation opens the file for every later
 *   read and write of the same process; every write takes a fresh 96-bit IV.
 * - scrypt derives 48 bytes: the first 32 are the AES key, the last 16 are stored as `check`, so a
 *   wrong passphrase is told apart from a damaged or tampered file (whose GCM tag fails).
 * - The additional authenticated data is the header (format, version, KDF and its parameters,
 *   salt): none of them can be changed without the tag failing.
 */
export const FILE_FORMAT = 'awskeys-vault';
export const FILE_VERSION = 1;

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

/** 32 MiB and about 70 ms here (docs/vault.md, "Cost"): paid once per process that opens the file. */
export const DEFAULT_SCRYPT: ScryptParams = { N: 2 ** 15, r: 8, p: 1 };

export interface FileHeader {
  format: typeof FILE_FORMAT;
  version: number;
  kdf: { name: 'scrypt'; salt: string } & ScryptParams;
  check: string;
}

export interface SealedFile extends FileHeader {
  iv: string;
  tag: string;
  data: string;
}

export interface DerivedKey {
  /** The salt and parameters it was derived for. */
  kdf: FileHeader['kdf'];
  key: Buffer;
  check: Buffer;
}

export type OpenResult =
  | { ok: true; plaintext: string }
  | { ok: false; reason: 'wrong-passphrase' | 'tampered' };

export class NotAVaultFile extends Error {}

/** The header of a vault file's text; NotAVaultFile when it is not one this awskeys can read. */
export function parseSealed(text: string): SealedFile {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new NotAVaultFile('it is not JSON');
  }
  if (typeof doc !== 'object' || doc === null) throw new NotAVaultFile('it is not a JSON object');
  const d = doc as Record<string, unknown>;
  if (d.format !== FILE_FORMAT) throw new NotAVaultFile(`its format is not "${FILE_FORMAT}"`);
  if (d.version !== FILE_VERSION) {
    throw new NotAVaultFile(typeof d.version === 'number' && d.version > FILE_VERSION ? `it was written by a newer awskeys (version ${d.version})` : 'its version is unknown');
  }
  const kdf = d.kdf as Record<string, unknown> | null | undefined;
  if (
    kdf?.name !== 'scrypt' ||
    !isBase64(kdf.salt) ||
    !isPositiveInt(kdf.N) ||
    !isPositiveInt(kdf.r) ||
    !isPositiveInt(kdf.p) ||
    !isBase64(d.check) ||
    !isBase64(d.iv) ||
    !isBase64(d.tag) ||
    typeof d.data !== 'string'
  ) {
    throw new NotAVaultFile('a field is missing or malformed');
  }
  // Bounds keep a crafted file from making scrypt eat the machine's memory or time.
  if ((kdf.N & (kdf.N - 1)) !== 0 || kdf.N < 2 ** 10 || kdf.N > 2 ** 20 || kdf.r > 32 || kdf.p > 16) {
    throw new NotAVaultFile('its scrypt parameters are out of range');
  }
  return {
    format: FILE_FORMAT,
    version: FILE_VERSION,
    kdf: { name: 'scrypt', salt: kdf.salt, N: kdf.N, r: kdf.r, p: kdf.p },
    check: d.check,
    iv: d.iv,
    tag: d.tag,
    data: d.data,
  };
}

/** A fresh salt with `params`, for a new file. */
export function newKdf(params: ScryptParams = DEFAULT_SCRYPT): FileHeader['kdf'] {
  return { name: 'scrypt', salt: randomBytes(16).toString('base64'), ...params };
}

export function deriveKey(passphrase: string, kdf: FileHeader['kdf']): Promise<DerivedKey> {
  const { N, r, p } = kdf;
  return new Promise((resolve, reject) => {
    scrypt(passphrase.normalize('NFC'), Buffer.from(kdf.salt, 'base64'), 48, { N, r, p, maxmem: 256 * N * r + 1024 * 1024 }, (err, out) => {
      if (err) reject(err);
      else resolve({ kdf, key: out.subarray(0, 32), check: out.subarray(32) });
    });
  });
}

/** True when `derived` was made for this file's salt and parameters (so it can open it). */
export function fitsFile(derived: DerivedKey, sealed: FileHeader): boolean {
  const a = derived.kdf;
  const b = sealed.kdf;
  return a.salt === b.salt && a.N === b.N && a.r === b.r && a.p === b.p;
}

export function seal(plaintext: string, derived: DerivedKey): string {
  const header: FileHeader = { format: FILE_FORMAT, version: FILE_VERSION, kdf: derived.kdf, check: derived.check.toString('base64') };
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', derived.key, iv);
  cipher.setAAD(aad(header));
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const sealed: SealedFile = { ...header, iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') };
  return `${JSON.stringify(sealed, null, 2)}\n`;
}

export function unseal(sealed: SealedFile, derived: DerivedKey): OpenResult {
  const check = Buffer.from(sealed.check, 'base64');
  if (check.length !== derived.check.length || !timingSafeEqual(check, derived.check)) return { ok: false, reason: 'wrong-passphrase' };
  try {
    const decipher = createDecipheriv('aes-256-gcm', derived.key, Buffer.from(sealed.iv, 'base64'), { authTagLength: 16 });
    decipher.setAAD(aad(sealed));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    const plaintext = Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]);
    return { ok: true, plaintext: plaintext.toString('utf8') };
  } catch {
    return { ok: false, reason: 'tampered' };
  }
}

/** The header fields, in a fixed order: what the tag also vouches for. */
function aad(h: FileHeader): Buffer {
  const { N, r, p, salt } = h.kdf;
  return Buffer.from(`${h.format}\n${h.version}\nscrypt\n${N}\n${r}\n${p}\n${salt}\n${h.check}`, 'utf8');
}

function isBase64(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Za-z0-9+/]+={0,2}$/.test(value);
}

function isPositiveInt(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0;
}
