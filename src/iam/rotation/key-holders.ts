import { editSection } from '../../aws-files/ini-edit.js';
import type { IniDocument } from '../../aws-files/ini-parse.js';
import { parseIni, setValue } from '../../aws-files/ini-parse.js';
import { parseSectionRef, type AwsFileKind } from '../../aws-files/sections.js';

/**
 * Where an access key sits in one AWS file, and the pure text edits that swap it for a new key and
 * back. Rotation edits every profile that holds the old key id, not only the one the user named:
 * a copy left behind would stop working the moment the old key is deactivated.
 */

/** A section of one AWS file whose aws_access_key_id is the key being rotated. */
export interface KeyHolder {
  /** The header text inside [ ], exactly as the editor addresses it. */
  section: string;
  /** The profile that section belongs to. */
  profile: string;
}

/** A section's two key settings; null when the section does not set one. */
export interface KeyValues {
  aws_access_key_id: string | null;
  aws_secret_access_key: string | null;
}

export interface NewKey {
  accessKeyId: string;
  secretAccessKey: string;
}

/** The profile a section belongs to; undefined for config sections that are not profiles. */
export function profileOfSection(kind: AwsFileKind, section: string): string | undefined {
  if (kind === 'credentials' || section === 'default') return section;
  const ref = parseSectionRef(section);
  return ref.type === 'profile' ? ref.name : undefined;
}

/**
 * Profile sections (one entry per header text, in file order) whose aws_access_key_id is `keyId`,
 * with what they hold. Repeated headers merge, later values winning, as the readers see them.
 */
export function sectionsHoldingKey(doc: IniDocument, kind: AwsFileKind, keyId: string): (KeyHolder & { previous: KeyValues })[] {
  const merged = new Map<string, Record<string, string>>();
  for (const s of doc.sections) {
    const values = merged.get(s.name) ?? {};
    for (const [k, v] of Object.entries(s.values)) setValue(values, k, v);
    merged.set(s.name, values);
  }
  const holders: (KeyHolder & { previous: KeyValues })[] = [];
  for (const [section, values] of merged) {
    const profile = profileOfSection(kind, section);
    if (profile === undefined || values.aws_access_key_id !== keyId) continue;
    holders.push({
      section,
      profile,
      previous: { aws_access_key_id: keyId, aws_secret_access_key: values.aws_secret_access_key ?? null },
    });
  }
  return holders;
}

/** Puts `next` in every profile section of `text` that holds `oldKeyId`; the rest stays byte for byte. */
export function replaceKey(
  text: string,
  path: string,
  kind: AwsFileKind,
  oldKeyId: string,
  next: NewKey,
): { text: string; replaced: (KeyHolder & { previous: KeyValues })[] } {
  const replaced = sectionsHoldingKey(parseIni(text, path), kind, oldKeyId);
  let out = text;
  for (const holder of replaced) {
    out = editSection(out, holder.section, {
      aws_access_key_id: next.accessKeyId,
      aws_secret_access_key: next.secretAccessKey,
    });
  }
  return { text: out, replaced };
}

/**
 * Puts back what each section held before, in the sections that still hold `newKeyId`. A section
 * someone changed in the meantime is left as they made it.
 */
export function restoreKey(
  text: string,
  path: string,
  kind: AwsFileKind,
  newKeyId: string,
  previous: readonly (KeyHolder & { previous: KeyValues })[],
): string {
  const stillNew = new Set(sectionsHoldingKey(parseIni(text, path), kind, newKeyId).map((h) => h.section));
  let out = text;
  for (const holder of previous) {
    if (stillNew.has(holder.section)) out = editSection(out, holder.section, { ...holder.previous });
  }
  return out;
}
