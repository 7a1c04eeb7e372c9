import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { childPath } from './child-path.js';

describe('childPath', () => {
  it.each([
    ['/home/ann', 'config', '/home/ann/config'],
    ['/', '.aws', '/.aws'],
    ['/home/ann/', '.aws', '/home/ann/.aws'],
    ['/home//ann', '.aws', '/home/ann/.aws'],
    ['/home/./ann/..', '.aws', '/home/.aws'],
    ['rel', '.aws', 'rel/.aws'],
    ['', '.aws', '.aws'],
  ])('%j + %j is %j', (dir, name, path) => {
    expect(childPath(dir, name)).toBe(path);
  });

  it('is path.join(dir, name) for any folder and any plain file name', () => {
    const part = fc.constantFrom('', '.', '..', '...', 'a', '.aws', 'b c', '~');
    const dir = fc.tuple(fc.boolean(), fc.array(part, { maxLength: 6 }), fc.constantFrom('', '/', '//')).map(([abs, parts, end]) => `${abs ? '/' : ''}${parts.join('/')}${end}`);
    const name = fc.constantFrom('config', '.aws', '9c2fd1b4b444c7fbd9734e877074af9da1fa8601.json', '...', 'x y');
    fc.assert(
      fc.property(dir, name, (d, n) => {
        expect(childPath(d, n)).toBe(join(d, n));
      }),
      { numRuns: 5000 },
    );
  });
});
