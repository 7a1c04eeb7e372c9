import fc from 'fast-check';
import { expect, it } from 'vitest';
import { botocoreRead } from '../../test/support/botocore-read.js';
import { FileError } from '../errors/cli-error.js';
import type { SectionEdit } from './ini-edit.js';
import { editSections } from './ini-edit.js';
import { scanIni } from './ini-lines.js';
import { parseIni } from './ini-parse.js';
import { needs } from '../../test/support/optional-tools.js';

/**
 * botocore is the oracle. Files in botocore's own dialect (key names in any case, "inline comments"
 * that botocore reads as part of the value, [DEFAULT], spaced and indented headers, lone CRs and
 * mixed line endings, continuation lines, nested values, repeated sections and keys) are
 * (1) read by our reader exactly as botocore.configloader reads them, or refused by both; then
 * (2) edited (a profile's keys set or removed, in any case, or a section removed), and botocore
 * must read the result with exactly that change, every other section as it was; and
 * (3) every byte outside the edited section is kept.
 * All files of a run go to one Python process (test/support/botocore-read.ts).
 */

const FEATURES = [
  'DEFAULT section',
  'keys not in lowercase',
  'text after a value (inline comment)',
  'spaced header',
  'indented header',
  'indented key',
  'lone CR',
  'mixed line endings',
  'continuation lines',
  'nested values',
  'repeated section or key',
] as const;
type Feature = (typeof FEATURES)[number];

interface Generated {
  text: string;
  features: Set<Feature>;
  /** Section names as written between the brackets. */
  names: string[];
}

const KEYS = ['aws_access_key_id', 'aws_secret_access_key', 'aws_session_token', 'region', 'output'];
const SAFE_VALUE = fc.stringMatching(/^[A-Za-z0-9/+=._-]{1,12}$/);
const caseOf = fc.constantFrom<(k: string) => string>(
  (k) => k,
  (k) => k,
  (k) => k.toUpperCase(),
  (k) => k.charAt(0).toUpperCase() + k.slice(1),
);
const SECTION_NAMES = ['default', 'dev', 'acme.prod', 'profile dev', "profile 'my prof'", 'sso-session corp', 'DEFAULT'];

interface Line {
  text: string;
  features: Feature[];
}

const keyLine: fc.Arbitrary<Line[]> = fc
  .record({
    key: fc.constantFrom(...KEYS, 'x-y'),
    recase: caseOf,
    value: SAFE_VALUE,
    note: fc.constantFrom('', '', '', ' # 2024', ' ; old', '\t# tab'),
    sep: fc.constantFrom(' = ', '=', ' =', '= '),
    indent: fc.constantFrom('', '', '', '  '),
    continued: fc.constantFrom(0, 0, 0, 1, 2),
  })
  .map(({ key, recase, value, note, sep, indent, continued }) => {
    const features: Feature[] = [];
    const written = recase(key);
    if (written !== key) features.push('keys not in lowercase');
    if (note !== '') features.push('text after a value (inline comment)');
    if (indent !== '') features.push('indented key');
    if (continued > 0) features.push('continuation lines');
    const lines: Line[] = [{ text: `${indent}${written}${sep}${value}${note}`, features }];
    for (let i = 0; i < continued; i++) lines.push({ text: `${indent}    more ${i}`, features: [] });
    return lines;
  });

const nestedBlock: fc.Arbitrary<Line[]> = fc
  .array(fc.tuple(fc.constantFrom('max_concurrent_requests', 'Addressing_Style'), SAFE_VALUE), { minLength: 1, maxLength: 2 })
  .map((subs) => [
    { text: 's3 =', features: ['nested values'] as Feature[] },
    ...subs.map(([k, v]) => ({ text: `  ${k} = ${v}`, features: [] as Feature[] })),
  ]);

const filler: fc.Arbitrary<Line[]> = fc
  .array(fc.constantFrom('', '# note', '; note', '   # indented note', '   '), { maxLength: 2 })
  .map((ls) => ls.map((text) => ({ text, features: [] })));

const headerLine = (name: string): fc.Arbitrary<Line> =>
  fc
    .record({ spaced: fc.constantFrom(false, false, false, true), indented: fc.constantFrom(false, false, false, true), note: fc.constantFrom('', '', ' # about it') })
    .map(({ spaced, indented, note }) => {
      const features: Feature[] = [];
      if (name === 'DEFAULT') features.push('DEFAULT section');
      if (spaced) features.push('spaced header');
      if (indented) features.push('indented header');
      return { text: `${indented ? '  ' : ''}[${spaced ? ` ${name} ` : name}]${note}`, features };
    });

const sectionOf = (name: string): fc.Arbitrary<Line[]> =>
  fc
    .tuple(headerLine(name), fc.array(fc.tuple(filler, fc.oneof({ arbitrary: keyLine, weight: 6 }, { arbitrary: nestedBlock, weight: 1 })), { maxLength: 4 }), filler)
    .map(([header, body, tail]) => [header, ...body.flatMap(([f, lines]) => [...f, ...lines]), ...tail]);

const generatedFile: fc.Arbitrary<Generated> = fc
  .record({
    names: fc.uniqueArray(fc.constantFrom(...SECTION_NAMES), { minLength: 1, maxLength: 4 }),
    repeat: fc.constantFrom(false, false, false, false, false, false, true),
    eol: fc.constantFrom('\n', '\n', '\r\n', '\r'),
    mixed: fc.constantFrom(false, false, false, false, true),
    finalNewline: fc.boolean(),
  })
  .chain(({ names, repeat, eol, mixed, finalNewline }) => {
    const all = repeat && names[0] !== undefined ? [...names, names[0]] : names;
    return fc
      .tuple(fc.tuple(...all.map(sectionOf)), fc.array(fc.constantFrom('\n', '\r\n', '\r'), { minLength: 64, maxLength: 64 }))
      .map(([sections, eols]) => {
        const lines = sections.flat();
        const features = new Set<Feature>(lines.flatMap((l) => l.features));
        if (repeat) features.add('repeated section or key');
        let text = '';
        lines.forEach((line, i) => {
          const end = mixed ? (eols[i % eols.length] ?? eol) : eol;
          text += line.text + (i < lines.length - 1 || finalNewline ? end : '');
        });
        if (/\r(?!\n)/.test(text)) features.add('lone CR');
        if (new Set(text.match(/\r\n|\r|\n/g) ?? []).size > 1) features.add('mixed line endings');
        // A key in two cases in one section is a repeat for botocore.
        for (const section of sections) {
          const keys = section.map((l) => /^\s*([^\s=]+)\s*=/.exec(l.text)?.[1]?.toLowerCase()).filter((k) => k !== undefined);
          if (new Set(keys).size !== keys.length) features.add('repeated section or key');
        }
        return { text, features, names: all };
      });
  });

const editFor = (f: Generated): fc.Arbitrary<SectionEdit> => {
  const targets = [...f.names.filter((n) => n !== 'DEFAULT'), 'new-profile', 'profile new'];
  const update = fc
    .uniqueArray(fc.tuple(fc.constantFrom(...KEYS, 's3'), caseOf, fc.option(SAFE_VALUE, { nil: null })), {
      minLength: 1,
      maxLength: 3,
      selector: ([k]) => k,
    })
    .map((pairs) => Object.fromEntries(pairs.map(([k, recase, v]) => [recase(k), v])));
  return fc.oneof(
    { arbitrary: fc.tuple(fc.constantFrom(...targets), update).map(([section, u]) => ({ section, update: u })), weight: 5 },
    { arbitrary: fc.constantFrom(...targets).map((section) => ({ section, remove: true as const })), weight: 1 },
  );
};

type Sections = Record<string, Record<string, string>>;

/** What botocore must read after the edit: the section changed as asked, [DEFAULT] still showing through. */
function expectedAfter(before: Sections, defaults: Record<string, string>, edit: SectionEdit): Sections {
  const after: Sections = structuredClone(before);
  if (!('update' in edit)) {
    delete after[edit.section];
    return after;
  }
  const exists = edit.section in after;
  const section = after[edit.section] ?? { ...defaults };
  for (const [rawKey, value] of Object.entries(edit.update)) {
    const key = rawKey.toLowerCase();
    for (const k of Object.keys(section)) if (k === key || k.startsWith(`${key}.`)) delete section[k];
    if (value !== null) section[key] = value;
    // A key [DEFAULT] also sets is overridden with an empty value, so DEFAULT's cannot show through.
    else if (key in defaults && (exists || Object.values(edit.update).some((v) => v !== null))) section[key] = '';
  }
  const setsSomething = Object.values(edit.update).some((v) => v !== null);
  if (edit.section in after || setsSomething) after[edit.section] = section;
  return after;
}

/** Each line with its ending, and the name of the section it is in ('' before the first header). */
function linesIn(text: string): { line: string; section: string; blank: boolean }[] {
  let section = '';
  return scanIni(text).lines.map((l) => {
    if (l.token.kind === 'header') section = l.token.name;
    return { line: l.text + l.eol, section, blank: l.token.kind === 'blank' };
  });
}

/**
 * Every line outside the edited section is in the result, byte for byte and in order. Allowed: new
 * lines (the section, comments a removed section leaves behind), the final line's ending (a file
 * without a final newline keeps none; a new section needs one before it), and blank lines at the
 * very end when the last section was removed.
 */
function bytesKept(before: string, after: string, section: string): boolean {
  const kept = linesIn(before).filter((l) => l.section !== section);
  const result = linesIn(after).map((l) => l.line);
  while (kept.at(-1)?.blank) kept.pop();
  let at = 0;
  return kept.every(({ line }, i) => {
    const last = i === kept.length - 1;
    const strip = (s: string): string => s.replace(/(\r\n|\r|\n)$/, '');
    while (at < result.length && result[at] !== line && !(last && strip(result[at] ?? '') === strip(line))) at++;
    return at++ < result.length;
  });
}

function ours(text: string): { sections: Sections; defaults: Record<string, string> } | { error: string } {
  try {
    const doc = parseIni(text, 'f');
    return { sections: Object.fromEntries(doc.sections.map((s) => [s.name, { ...s.values }])), defaults: { ...doc.defaults } };
  } catch (err) {
    if (err instanceof FileError) return { error: err.message };
    throw err;
  }
}

interface Tally {
  files: number;
  refusedByBoth: number;
  weRefuseBotocoreReads: number;
  readerDisagreements: number;
  editsRefused: number;
  byteFailures: number;
  readBackFailures: number;
}

needs('botocore').describe('files in botocore’s dialect, botocore as the oracle', () => {
  it('are read as botocore reads them, and edited so that botocore reads exactly the change', async () => {
    const runs = Number(process.env.AWSKEYS_DIALECT_RUNS ?? 1500);
    const cases = fc.sample(generatedFile.chain((f) => fc.tuple(fc.constant(f), editFor(f))), { numRuns: runs, seed: 9 });
    const botoBefore = await botocoreRead(cases.map(([f]) => f.text));

    const total: Tally = { files: 0, refusedByBoth: 0, weRefuseBotocoreReads: 0, readerDisagreements: 0, editsRefused: 0, byteFailures: 0, readBackFailures: 0 };
    const byFeature = new Map<Feature, Tally>(FEATURES.map((f) => [f, { ...total }]));
    const count = (f: Generated, key: keyof Tally): void => {
      total[key] += 1;
      for (const feature of f.features) byFeature.get(feature)![key] += 1;
    };
    const failures: string[] = [];
    const toEdit: { f: Generated; edit: SectionEdit; after: string; expected: Sections }[] = [];

    cases.forEach(([f, edit], i) => {
      count(f, 'files');
      const boto = botoBefore[i]!;
      const mine = ours(f.text);
      if ('error' in mine || 'error' in boto) {
        if ('error' in mine && 'error' in boto) count(f, 'refusedByBoth');
        else if ('error' in mine) {
          count(f, 'weRefuseBotocoreReads');
          // eslint-disable-next-line no-console -- a refusal is allowed, but worth seeing
          console.info(`refused, botocore reads it: ${mine.error} ${JSON.stringify(f.text)}`);
        }
        else {
          count(f, 'readerDisagreements');
          failures.push(`we read what botocore refuses (${(boto as { error: string }).error}): ${JSON.stringify(f.text)}`);
        }
        return;
      }
      try {
        expect(mine.sections).toEqual(boto.sections);
      } catch {
        count(f, 'readerDisagreements');
        failures.push(`we read it differently: ${JSON.stringify(f.text)}`);
        return;
      }
      let after: string;
      try {
        after = editSections(f.text, [edit]);
      } catch (err) {
        if (!(err instanceof FileError)) throw err;
        count(f, 'editsRefused');
        return;
      }
      if (!bytesKept(f.text, after, edit.section)) {
        count(f, 'byteFailures');
        failures.push(`bytes outside [${edit.section}] changed: ${JSON.stringify(f.text)} -> ${JSON.stringify(after)}`);
      }
      toEdit.push({ f, edit, after, expected: expectedAfter(boto.sections, mine.defaults, edit) });
    });

    const botoAfter = await botocoreRead(toEdit.map((e) => e.after));
    toEdit.forEach(({ f, edit, after, expected }, i) => {
      const boto = botoAfter[i]!;
      let ok = !('error' in boto);
      if (ok) {
        try {
          expect((boto as { sections: Sections }).sections).toEqual(expected);
        } catch {
          ok = false;
        }
      }
      if (!ok) {
        count(f, 'readBackFailures');
        failures.push(`botocore reads the edit ${JSON.stringify(edit)} wrongly: ${JSON.stringify(f.text)} -> ${JSON.stringify(after)} (${JSON.stringify(boto)})`);
      }
    });

    // The figures, for the record (docs/aws-files.md quotes them).
    // eslint-disable-next-line no-console -- the figures are this test's report
    console.info(
      [
        `botocore dialect: ${JSON.stringify(total)}`,
        ...[...byFeature].map(([feature, t]) => `  ${feature}: ${JSON.stringify(t)}`),
      ].join('\n'),
    );
    expect(failures.slice(0, 5)).toEqual([]);
    // The generator must really reach the interesting cases.
    expect(total.files).toBe(runs);
    expect(toEdit.length).toBeGreaterThan(runs / 2);
    for (const feature of FEATURES) expect(byFeature.get(feature)!.files, feature).toBeGreaterThan(20);
  }, 60_000);
});
