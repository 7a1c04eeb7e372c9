import { readFile } from 'node:fs/promises';
import { fileError, isMissing } from './atomic-write.js';
import type { IniDocument, IniSection } from './ini-parse.js';
import { parseIni, setValue } from './ini-parse.js';
import type { AwsFilePaths } from './paths.js';
import { parseSectionRef } from './sections.js';
import { checkReadableTarget } from './writable-target.js';

/** Both AWS files, parsed. Read-only view: to change a file, use updateAwsFile. */
export interface AwsFiles {
  paths: AwsFilePaths;
  config: IniDocument;
  credentials: IniDocument;
}

/** A missing file is an empty document; a malformed one is a FileError naming the line. */
export async function readAwsFiles(paths: AwsFilePaths): Promise<AwsFiles> {
  const [config, credentials] = await Promise.all([readIni(paths.config), readIni(paths.credentials)]);
  return { paths, config, credentials };
}

export async function readIni(path: string): Promise<IniDocument> {
  let text: string;
  await checkReadableTarget(path);
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if (isMissing(err)) return { sections: [] };
    throw fileError('read', path, err);
  }
  return parseIni(text, path);
}

/**
 * A profile as botocore sees it: the config section that names it (`[profile NAME]`, or
 * `[default]`; when several do, e.g. `[default]` and `[profile default]`, the last one in the file,
 * whole, as botocore's build_profile_map keeps it) merged with credentials `[NAME]`, credentials
 * values winning per key. undefined when in neither file.
 */
export function getProfile(files: Pick<AwsFiles, 'config' | 'credentials'>, name: string): Record<string, string> | undefined {
  const fromConfig = configProfileSections(files.config, name);
  const fromCredentials = files.credentials.sections.filter((s) => s.name === name);
  if (fromConfig.length === 0 && fromCredentials.length === 0) return undefined;
  return mergeValues([...fromConfig, ...fromCredentials]);
}

/** Every profile in file order, config first; a profile in both files is listed once. */
export function listProfiles(files: AwsFiles): { name: string; inConfig: boolean; inCredentials: boolean }[] {
  const seen = new Map<string, { name: string; inConfig: boolean; inCredentials: boolean }>();
  for (const section of files.config.sections) {
    const name = configProfileName(section.name);
    if (name !== undefined && !seen.has(name)) seen.set(name, { name, inConfig: true, inCredentials: false });
  }
  for (const section of files.credentials.sections) {
    const entry = seen.get(section.name);
    if (entry) entry.inCredentials = true;
    else seen.set(section.name, { name: section.name, inConfig: false, inCredentials: true });
  }
  return [...seen.values()];
}

/** An `[sso-session NAME]` section of the config file; undefined when there is none. */
export function getSsoSession(files: Pick<AwsFiles, 'config'>, name: string): Record<string, string> | undefined {
  const section = files.config.sections.findLast((s) => {
    const ref = parseSectionRef(s.name);
    return ref.type === 'sso-session' && ref.name === name;
  });
  return section ? mergeValues([section]) : undefined;
}

/** The profile a config section defines for botocore, if any. */
export function configProfileName(section: string): string | undefined {
  const ref = parseSectionRef(section);
  if (ref.type === 'profile') return ref.name;
  return ref.type === 'other' && section === 'default' ? 'default' : undefined;
}

function configProfileSections(config: IniDocument, name: string): IniSection[] {
  const last = config.sections.findLast((s) => configProfileName(s.name) === name);
  return last ? [last] : [];
}

function mergeValues(sections: IniSection[]): Record<string, string> {
  const values: Record<string, string> = {};
  for (const section of sections) {
    for (const [key, value] of Object.entries(section.values)) setValue(values, key, value);
  }
  return values;
}
