import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * botocore as the oracle: what these files mean to botocore.configloader.raw_config_parse (what the
 * AWS CLI and boto3 use for both AWS files), many files per Python process so a property test over
 * thousands of files stays fast. Each result is the sections as botocore returns them (a nested
 * value flattened to 'key' = '' plus 'key.sub', as our reader stores it), or the name of the error
 * botocore raised.
 */
export type BotocoreRead = { sections: Record<string, Record<string, string>> } | { error: string };

const SCRIPT = String.raw`
import json, sys, botocore.configloader as c, botocore.exceptions as x
out = []
for path in json.load(sys.stdin):
    try:
        raw = c.raw_config_parse(path)
    except x.ConfigParseError as e:
        out.append({'error': type(e.kwargs.get('error')).__name__})
        continue
    except Exception as e:
        out.append({'error': type(e).__name__})
        continue
    sections = {}
    for name, values in raw.items():
        flat = {}
        for k, v in values.items():
            if isinstance(v, dict):
                flat[k] = ''
                for sk, sv in v.items():
                    flat[k + '.' + sk] = sv
            else:
                flat[k] = v
        sections[name] = flat
    out.append({'sections': sections})
json.dump(out, sys.stdout)
`;

export async function botocoreRead(texts: readonly string[]): Promise<BotocoreRead[]> {
  const dir = await mkdtemp(join(tmpdir(), 'awskeys-botocore-'));
  try {
    const paths = texts.map((_, i) => join(dir, `f${i}`));
    await Promise.all(texts.map((t, i) => writeFile(paths[i] ?? '', t, 'utf8')));
    const child = spawn('python3', ['-c', SCRIPT], { stdio: ['pipe', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '', LANG: 'C.UTF-8' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdin.end(JSON.stringify(paths));
    const code = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', resolve);
    });
    if (code !== 0) throw new Error(`python3 (botocore) failed with exit ${String(code)}: ${stderr}`);
    return JSON.parse(stdout) as BotocoreRead[];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
