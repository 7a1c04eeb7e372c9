import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { needs } from '../../test/support/optional-tools.js';
import { pythonJsonDumps } from './python-json.js';

/** What botocore hashes: strings (any UTF-16, lone surrogates aside), numbers, booleans, null, lists, objects. */
const value = fc.letrec((tie) => ({
  leaf: fc.oneof(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }), fc.integer(), fc.boolean(), fc.constant(null)),
  node: fc.oneof({ depthSize: 'small' }, tie('leaf'), fc.array(tie('node'), { maxLength: 4 }), fc.dictionary(fc.string({ unit: 'binary' }), tie('node'), { maxKeys: 4 })),
})).node;

describe('pythonJsonDumps', () => {
  it.each([
    [{ b: 1, a: 'x' }, {}, '{"a": "x", "b": 1}'],
    [{ b: 1, a: 'x' }, { compact: true }, '{"a":"x","b":1}'],
    [{ b: 1, a: 'x' }, { sortKeys: false }, '{"b": 1, "a": "x"}'],
    ['caf\u00e9 \u007f \u2028 \ud83d\ude00 "q"', {}, '"caf\\u00e9 \\u007f \\u2028 \\ud83d\\ude00 \\"q\\""'],
    [['a', null, true, 2], {}, '["a", null, true, 2]'],
  ])('dumps %j with %j as %s', (input, options, expected) => {
    expect(pythonJsonDumps(input, options)).toBe(expected);
  });

  needs('python3').it("is Python's json.dumps(value, sort_keys=True), ASCII escapes and all, for any value", () => {
    const values = fc.sample(value, { numRuns: 300, seed: 19 });
    const script = 'import json,sys\nfor line in sys.stdin.read().splitlines():\n    print(json.dumps(json.loads(line), sort_keys=True))';
    const python = execFileSync('python3', ['-c', script], { input: values.map((v) => JSON.stringify(v)).join('\n'), encoding: 'utf8' });
    expect(python.split('\n').slice(0, -1)).toEqual(values.map((v) => pythonJsonDumps(v)));
  });
});
