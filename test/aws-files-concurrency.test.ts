import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseIni } from '../src/aws-files/ini-parse.js';

/**
 * Twenty separate node processes write their own profile into one credentials file at the same
 * moment. Without the lock, read-modify-write races lose profiles; with it, every one survives,
 * and so does what the user had written before.
 */
const WRITERS = 20;
const BEFORE = '# keys for the team -- do not share\n[default]\naws_access_key_id = AKIADEFAULT\n';

let dir: string;
let worker: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'awskeys-concurrency-'));
  worker = join(dir, 'worker.mjs');
  await build({
    entryPoints: [resolve(import.meta.dirname, 'support/aws-files-worker.ts')],
    outfile: worker,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
  });
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface Writer {
  ready: Promise<void>;
  exited: Promise<{ code: number | null; stdout: string; stderr: string }>;
  go(): void;
}

function startWriter(path: string, profile: string): Writer {
  const child = spawn(process.execPath, [worker, path, profile], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let onReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    if (stdout.includes('ready\n')) onReady();
  });
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  return { ready, exited, go: () => child.stdin.end('go\n') };
}

describe('concurrent writers of one credentials file', () => {
  it('all keep their profile, and the pre-existing comment and section survive', async () => {
    const aws = join(dir, 'home', '.aws');
    await mkdir(aws, { recursive: true, mode: 0o700 });
    const path = join(aws, 'credentials');
    await writeFile(path, BEFORE, { mode: 0o600 });

    const names = Array.from({ length: WRITERS }, (_, i) => (i % 2 === 0 ? `team.prod-${i}` : `dev@corp ${i}`));
    const writers = names.map((name) => startWriter(path, name));
    await Promise.all(writers.map((w) => w.ready));
    for (const w of writers) w.go();
    const results = await Promise.all(writers.map((w) => w.exited));
    expect(results.map((r) => [r.code, r.stderr])).toEqual(names.map(() => [0, '']));

    const text = await readFile(path, 'utf8');
    expect(text.startsWith(BEFORE)).toBe(true);
    const sections = parseIni(text, path).sections;
    expect(sections.map((s) => s.name).sort()).toEqual(['default', ...names].sort());
    for (const name of names) {
      expect({ ...sections.find((s) => s.name === name)?.values }).toEqual({
        aws_access_key_id: `AKIA-${name}`,
        aws_secret_access_key: `secret-${name}`,
        region: 'eu-west-1',
      });
    }
    // No lock, break or temp file is left behind.
    expect(await readdir(aws)).toEqual(['credentials']);
  }, 60_000);
});
