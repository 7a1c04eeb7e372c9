import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { exemptTools, toolMissing } from './support/optional-tools.js';

/**
 * The answers the test kit gives about optional tools (test/support/optional-tools.ts, D27): a
 * folder of stand-in programs is the whole PATH, so each answer is exact.
 */
let bin: string;
const onlyBin = () => ({ PATH: bin });

beforeAll(async () => {
  bin = await mkdtemp(join(tmpdir(), 'awskeys-tools-'));
  const program = async (name: string, script: string) => {
    await writeFile(join(bin, name), `#!/bin/sh\n${script}\n`);
    await chmod(join(bin, name), 0o755);
  };
  await program('zsh', 'echo "zsh 5.9"');
  await program('tmux', 'echo "tmux: cannot open terminal" >&2; exit 1');
  // A python3 that has botocore but not boto3, as python answers a failed import.
  await program('python3', `case "$2" in *boto3*) echo 'Traceback (most recent call last):' >&2; echo "ModuleNotFoundError: No module named 'boto3'" >&2; exit 1;; esac`);
});

describe('toolMissing', () => {
  it('is undefined for a tool that runs', () => {
    expect(toolMissing('zsh', onlyBin())).toBeUndefined();
    expect(toolMissing('botocore', onlyBin())).toBeUndefined();
  });

  it('names a program that is not on PATH, with its install command', () => {
    expect(toolMissing('fish', onlyBin())).toBe('fish is not installed here (no fish on PATH; apt-get install fish)');
  });

  it('says how a program that is there failed: its exit status and its last line on stderr', () => {
    expect(toolMissing('tmux', onlyBin())).toBe('tmux is not usable here (tmux -V exited 1: tmux: cannot open terminal; apt-get install tmux)');
  });

  it('a Python module: the import error, or python3 itself missing', () => {
    expect(toolMissing('boto3', onlyBin())).toBe("boto3 is not usable here (python3 cannot import it: ModuleNotFoundError: No module named 'boto3'; pip install boto3)");
    expect(toolMissing('botocore', { PATH: join(bin, 'nothing-here') })).toBe(
      'botocore needs python3: python3 is not installed here (no python3 on PATH; apt-get install python3)',
    );
  });
});

describe('exemptTools (AWSKEYS_REQUIRE_ALL_EXCEPT)', () => {
  it('reads a comma-separated list, spaces allowed, and refuses a name it does not know', () => {
    expect(exemptTools({})).toEqual([]);
    expect(exemptTools({ AWSKEYS_REQUIRE_ALL_EXCEPT: 'pwsh, tmux' })).toEqual(['pwsh', 'tmux']);
    expect(() => exemptTools({ AWSKEYS_REQUIRE_ALL_EXCEPT: 'pwsh,tcsh' })).toThrow(
      /^AWSKEYS_REQUIRE_ALL_EXCEPT names tcsh, which is not one of zsh, fish, pwsh, tmux, aws, python3, botocore, boto3, cryptography, python-dotenv, /,
    );
  });
});
