import { readFileSync } from 'node:fs';
import type { IniDocument } from '../aws-files/ini-parse.js';
import { parseIni } from '../aws-files/ini-parse.js';
import { awsFilePaths } from '../aws-files/paths.js';
import { listProfiles } from '../aws-files/profiles.js';
import { parseSectionRef } from '../aws-files/sections.js';

export interface AwsNames {
  /** Every profile of both files, config first, each once. */
  profiles: string[];
  /** Every [sso-session NAME] of the config file. */
  ssoSessions: string[];
}

/**
 * The profile and sso-session names for TAB completion, read synchronously (the completion
 * library's handlers are synchronous, and this runs on every TAB). A file that is missing,
 * unreadable or malformed contributes no names: completing never prints an error.
 */
export function readAwsNames(env: NodeJS.ProcessEnv, homeDir: string): AwsNames {
  const paths = awsFilePaths(env, homeDir);
  const config = readQuietly(paths.config);
  const credentials = readQuietly(paths.credentials);
  const ssoSessions: string[] = [];
  for (const section of config.sections) {
    const ref = parseSectionRef(section.name);
    if (ref.type === 'sso-session' && !ssoSessions.includes(ref.name)) ssoSessions.push(ref.name);
  }
  return { profiles: listProfiles({ paths, config, credentials }).map((p) => p.name), ssoSessions };
}

function readQuietly(path: string): IniDocument {
  try {
    return parseIni(readFileSync(path, 'utf8'), path);
  } catch {
    return { sections: [] };
  }
}
