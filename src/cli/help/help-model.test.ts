import { Command, CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../main.js';
import { helpModelOf, type HelpModel } from './help-model.js';
import { mentionsHelp } from './help-words.js';
import { helpTextFor, renderHelpPage } from './render-help.js';

/**
 * The lean route prints help from a model of the command table (D56, src/cli/entry.ts). These tests
 * hold it to commander itself, on the real command table, in process: a new command or option, a
 * changed text or a commander upgrade that the model or the port does not follow fails here.
 */

/** commander's getOutHelpWidth: its own default answers undefined off a terminal, though its type says number. */
const helpWidth = (width: number | undefined) => (() => width) as () => number;

const noDeps = (): never => {
  throw new Error('no command runs in these tests');
};

const model = (): HelpModel => helpModelOf(buildProgram(noDeps));

/** Every command of the real program, with its path of names (the program's is []). */
function commandsOf(cmd: Command, path: string[] = []): [string[], Command][] {
  return [[path, cmd], ...cmd.commands.flatMap((sub) => commandsOf(sub, [...path, sub.name()]))];
}

/** Every way to spell each command's path (each level by its name or any alias), with the command. */
function spellingsOf(cmd: Command, path: string[] = []): [string[], Command][] {
  return [[path, cmd], ...cmd.commands.flatMap((sub) => [sub.name(), ...sub.aliases()].flatMap((name) => spellingsOf(sub, [...path, name])))];
}

/** What commander outputs with `width` columns for a command: outputHelp, addHelpText parts and all. */
function commanderPage(cmd: Command, width: number | undefined, colors: boolean): string {
  let out = '';
  cmd.configureOutput({ writeOut: (s) => (out += s), getOutHelpWidth: helpWidth(width), getOutHasColors: () => colors });
  cmd.outputHelp();
  return out;
}

/**
 * `awskeys <argv>` through commander (the full route's parser and settings: exitOverride, output to
 * stdout) at 80 columns: the help it prints with exit 0, or undefined when it prints none (an error,
 * the version, or a command's action, which a hook stops before it runs).
 */
async function commanderHelp(argv: string[]): Promise<string | undefined> {
  const program = buildProgram(noDeps);
  program.hook('preAction', () => {
    throw new Error('an action would run');
  });
  let out = '';
  for (const [, cmd] of commandsOf(program)) {
    cmd.exitOverride().configureOutput({ writeOut: (s) => (out += s), writeErr: () => undefined, outputError: () => undefined, getOutHelpWidth: helpWidth(undefined) });
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError && err.exitCode === 0 && ['commander.helpDisplayed', 'commander.help'].includes(err.code)) return out;
  }
  return undefined;
}

describe('the help model of the command table', () => {
  it('renders every page exactly as commander does, at every width from 20 to 250 and with none (80)', () => {
    const { nodes, minWidthToWrap } = model();
    const commands = commandsOf(buildProgram(noDeps));
    expect(nodes.map((n) => n.page.usage)).toEqual(commands.map(([, cmd]) => `Usage: ${cmd.createHelp().commandUsage(cmd)}`));
    const widths = [undefined, ...Array.from({ length: 231 }, (_, i) => i + 20)];
    commands.forEach(([path, cmd], i) => {
      const page = nodes[i]?.page;
      if (!page) throw new Error(`no page for ${path.join(' ')}`);
      for (const width of widths) {
        const text = renderHelpPage(page, minWidthToWrap, width);
        if (text !== commanderPage(cmd, width, false)) expect({ path, width, text }).toEqual({ path, width, text: commanderPage(cmd, width, false) });
      }
    });
  });

  it('holds the addHelpText parts, and commander prints the same bytes with colors on and off', () => {
    const { nodes, minWidthToWrap } = model();
    const commands = commandsOf(buildProgram(noDeps));
    const env = commands.findIndex(([path]) => path.join(' ') === 'env');
    expect(nodes[env]?.page.after).toMatch(/^\nExamples:\n {2}eval "\$\(awskeys env --profile dev\)" .*\n$/s);
    commands.forEach(([, cmd], i) => {
      for (const width of [undefined, 60, 120]) {
        const page = nodes[i]?.page;
        expect(page && renderHelpPage(page, minWidthToWrap, width)).toBe(commanderPage(cmd, width, true));
      }
    });
  });

  it('wraps to the terminal, 80 columns without one; beside wide terms too narrow a column is not wrapped at all', () => {
    const { nodes, minWidthToWrap } = model();
    const root = nodes[0]?.page;
    if (!root) throw new Error('no root page');
    expect(renderHelpPage(root, minWidthToWrap, undefined)).toBe(renderHelpPage(root, minWidthToWrap, 80));
    const lines = (width: number): string[] => renderHelpPage(root, minWidthToWrap, width).split('\n');
    expect(lines(60).slice(2, 5)).toEqual(['Safe, fast AWS credentials: IAM access keys, IAM Identity', 'Center login, shell exports.', '']);
    // 60 - 36 (the terms) - 4 leaves 20 columns, under commander's minWidthToWrap (40).
    expect(lines(60).find((l) => l.startsWith('  sso '))).toBe(`  sso${' '.repeat(33)}IAM Identity Center (AWS SSO): log in, pick an account and role, populate profiles, log out.`);
    expect(lines(80).filter((l) => l.length > 80)).toEqual([]);
  });
});

describe('which command lines the lean route answers', () => {
  /** Every request for help commander knows in this table: path + help flag, path + help [command]. */
  const requests = (): string[][] => {
    const program = buildProgram(noDeps);
    return spellingsOf(program).flatMap(([path, cmd]) => {
      const words: string[][] = [['--help'], ['-h']];
      // The implicit help command is listed among the visible commands, not in cmd.commands.
      if (cmd.createHelp().visibleCommands(cmd).some((c) => !cmd.commands.includes(c))) {
        words.push(['help'], ...cmd.commands.flatMap((sub) => [sub.name(), ...sub.aliases()].map((name) => ['help', name])));
      }
      return words.map((w) => [...path, ...w]);
    });
  };

  it('prints what commander prints for every request for help, in every spelling', async () => {
    const all = requests();
    expect(all.length).toBeGreaterThan(80);
    expect(all).toEqual(expect.arrayContaining([['--help'], ['-h'], ['help'], ['help', 'env'], ['iam', 'create', '-h'], ['iam', 'help', 'list'], ['sso', 'login', '--help']]));
    const m = model();
    const notHelp: string[][] = [];
    for (const argv of all) {
      expect(mentionsHelp(argv)).toBe(true);
      const viaCommander = await commanderHelp(argv);
      expect([argv, helpTextFor(m, argv, () => undefined)]).toEqual([argv, viaCommander]);
      if (viaCommander === undefined) notHelp.push(argv);
    }
    // `complete` has no help option: its --help and -h are its own words, and commander runs it.
    expect(notHelp).toEqual([['complete', '--help'], ['complete', '-h']]);
  });

  it.each([
    [['--help', 'env']],
    [['env', '--help', '-p', 'dev']],
    [['env', '-p', 'dev', '--help']],
    [['env', 'extra', '--help']],
    [['--HELP']],
    [['--help=yes']],
    [['-h', '-h']],
    [['help', 'nope']],
    [['help', 'env', 'extra']],
    [['help', 'iam', 'create-key']],
    [['help', 'help']],
    [['nope', '--help']],
    [['iam', 'nope', '--help']],
    [['exec', '-p', 'dev', '--', 'help']],
    [['complete', '--help']],
    [['constructor', '--help']],
    [['help', 'toString']],
    [['-V']],
    [[]],
  ])('leaves %j to commander (which may print help for it, or not)', (argv) => {
    expect(helpTextFor(model(), argv, () => undefined)).toBeUndefined();
  });

  it('asks for the width only when it prints', () => {
    let asked = 0;
    const columns = (): number => ((asked += 1), 100);
    expect(helpTextFor(model(), ['env', 'extra', '--help'], columns)).toBeUndefined();
    expect(asked).toBe(0);
    expect(helpTextFor(model(), ['env', '--help'], columns)).toMatch(/^Usage: awskeys env \[options\]\n/);
    expect(asked).toBe(1);
  });
});

describe('helpModelOf refuses what the lean renderer would print differently', () => {
  const program = (): Command => {
    const p = new Command('t').description('A program.');
    p.command('sub').description('A command.');
    return p;
  };

  it('takes a plain program', () => {
    const m = helpModelOf(program());
    expect(m.nodes.map((n) => [n.page.usage, n.helpFlags, n.helpCommand ?? null, n.commands])).toEqual([
      ['Usage: t [options] [command]', ['-h', '--help'], 'help', { sub: 1 }],
      ['Usage: t sub [options]', ['-h', '--help'], null, {}],
    ]);
  });

  it('an ANSI escape in a text', () => {
    const p = program().description('\u001b[1mBold\u001b[0m.');
    expect(() => helpModelOf(p)).toThrow(/ANSI escape/);
  });

  it('a help flag the lean entry does not look for', () => {
    const p = program().helpOption('-?, --hilfe', 'Hilfe');
    expect(() => helpModelOf(p)).toThrow(/takes -\? for help; add it to HELP_WORDS/);
  });

  it('a help layout other than formatHelp\'s', () => {
    const p = program().configureHelp({ formatHelp: () => 'Usage: t\n\nsomething else\n' });
    expect(() => helpModelOf(p)).toThrow(/help layout is not the one render-help.ts was ported from/);
  });

  it('a page the port prints differently (a formatItem of its own)', () => {
    const p = program().configureHelp({ formatItem: (term, width, description) => `* ${term.padEnd(width)} ${description}` });
    expect(() => helpModelOf(p)).toThrow(/prints its help differently from commander/);
  });

  it('but follows commander where it only orders: sorted options and commands', () => {
    const p = program().option('--zeta', 'last').option('--alpha', 'first').configureHelp({ sortOptions: true });
    const m = helpModelOf(p);
    expect(m.nodes[0]?.page.lists.map((l) => [l.heading, l.items.map(([t]) => t)])).toEqual([
      ['Options:', ['--alpha', '-h, --help', '--zeta']],
      ['Commands:', ['sub', 'help [command]']],
    ]);
  });
});
