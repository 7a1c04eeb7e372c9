import type { Command, Option } from 'commander';
import { HELP_WORDS } from './help-words.js';
import { renderHelpPage } from './render-help.js';

/**
 * The help of every command, taken from the real command table at build time (scripts/build.mjs,
 * D56), so that `awskeys --help` and `awskeys <command> --help` are printed by the lean bundle
 * (src/cli/help/lean-help.ts) without loading commander: everything commander's Help.formatHelp
 * (commander 14) prints except the wrapping, which depends on the terminal's width and is done at
 * run time by render-help.ts, a port of commander's own.
 */
export interface HelpModel {
  /** Help.minWidthToWrap: narrower than this, commander does not wrap a text. */
  minWidthToWrap: number;
  /** nodes[0] is the program; HelpNode.commands points into this list. */
  nodes: HelpNode[];
}

export interface HelpNode {
  page: HelpPage;
  /** The words that ask for this page after its command path: its help option's flags (none when it has none). */
  helpFlags: string[];
  /** The name of its implicit help command (`awskeys iam help [command]`), if it has one. */
  helpCommand?: string;
  /** The subcommands by every name they answer to (name and aliases), as indexes into HelpModel.nodes. */
  commands: Record<string, number>;
}

/** One command's help as Help.formatHelp lays it out, before wrapping. */
export interface HelpPage {
  /** The first line, whole: `Usage: awskeys iam create-key|create [options]`. */
  usage: string;
  /** The command's description, wrapped to the help width; '' when it has none. */
  description: string;
  /** Arguments, options (by group), global options and subcommands (by group): the lists formatHelp prints, in its order. */
  lists: HelpList[];
  /** The width of the term column (Help.padWidth), for every list. */
  termWidth: number;
  /** What commander writes before and after the help itself: the addHelpText texts, each with its newline. */
  before: string;
  after: string;
}

export interface HelpList {
  /** `Options:`, `Commands:`, ... as commander styles it. */
  heading: string;
  items: [term: string, description: string][];
}

/** commander's own (`@package`) ways to the help option and the help command, which its help uses. */
interface CommanderInternals {
  _getHelpOption(): Option | null;
  _getHelpCommand(): Command | null;
}

/**
 * The model of `program` and every command under it (hidden ones too: `awskeys help complete` prints
 * its page). Throws where the lean renderer would not print commander's bytes: a page whose layout is
 * not the one formatHelp had when render-help.ts was ported, a text with an ANSI escape (the port
 * has no stripColor or color detection: without escapes commander prints the same bytes in every
 * color mode), help words other than HELP_WORDS (src/cli/entry.ts looks for those before loading
 * the model), or a page the port renders differently from commander at 80 columns.
 */
export function helpModelOf(program: Command): HelpModel {
  const helper = program.createHelp();
  const model: HelpModel = { minWidthToWrap: helper.minWidthToWrap, nodes: [] };
  const add = (cmd: Command): number => {
    const index = model.nodes.length;
    const internals = cmd as unknown as CommanderInternals;
    const option = internals._getHelpOption();
    // A flag the command defines itself is parsed as that option, not as a request for help.
    const helpFlags = [option?.short, option?.long].filter((f): f is string => f !== undefined && !cmd.options.some((o) => o.short === f || o.long === f));
    const node: HelpNode = { page: pageOf(cmd), helpFlags, commands: {} };
    const helpCommand = internals._getHelpCommand()?.name();
    if (helpCommand !== undefined) node.helpCommand = helpCommand;
    for (const word of [...helpFlags, ...(helpCommand === undefined ? [] : [helpCommand])]) {
      if (!HELP_WORDS.includes(word)) throw new Error(`help model: ${commandPath(cmd)} takes ${word} for help; add it to HELP_WORDS (src/cli/help/help-words.ts)`);
    }
    model.nodes.push(node);
    for (const sub of cmd.commands) {
      const at = add(sub);
      for (const name of [sub.name(), ...sub.aliases()]) node.commands[name] = at;
    }
    return index;
  };
  add(program);
  return model;
}

/** One command's page, and a check that the port prints what commander prints for it. */
function pageOf(cmd: Command): HelpPage {
  const width = 80;
  const writes: string[] = [];
  cmd.configureOutput({ writeOut: (s) => writes.push(s), getOutHelpWidth: () => width, getOutHasColors: () => false });
  cmd.outputHelp();
  const help = cmd.helpInformation();
  const at = writes.indexOf(help);
  if (at < 0) throw new Error(`help model: ${commandPath(cmd)}: commander's help was not one write`);
  const page: HelpPage = { ...layoutOf(cmd), before: writes.slice(0, at).join(''), after: writes.slice(at + 1).join('') };
  // Not even one that stripColor took out of the writes above: the page holds the texts as given.
  if (JSON.stringify(page).includes('\\u001b')) throw new Error(`help model: ${commandPath(cmd)}: a help text holds an ANSI escape; the lean renderer (render-help.ts) has no colors`);
  if (renderHelpPage(page, cmd.createHelp().minWidthToWrap, width) !== writes.join('')) {
    throw new Error(`help model: ${commandPath(cmd)}: the lean renderer (render-help.ts) prints its help differently from commander; port its Help again`);
  }
  return page;
}

/**
 * Runs commander's own formatHelp with formatItem and boxWrap (the only parts that depend on the
 * width) recording their arguments instead of wrapping, so the lists, their order, headings and
 * groups are commander's; then checks that the rest of the text has formatHelp's known layout:
 * usage, blank, [description, blank], then per list a heading, its items and a blank.
 */
function layoutOf(cmd: Command): Omit<HelpPage, 'before' | 'after'> {
  const helper = cmd.createHelp();
  helper.prepareContext({ helpWidth: 80 });
  const items: [string, string][] = [];
  const termWidths = new Set<number>();
  let description: string | undefined;
  const DESCRIPTION = '\u0000description\u0000';
  helper.boxWrap = (str) => {
    if (description !== undefined) throw new Error(`help model: ${commandPath(cmd)}: formatHelp wrapped a second text`);
    description = str;
    return DESCRIPTION;
  };
  helper.formatItem = (term, termWidth, text) => {
    termWidths.add(termWidth);
    items.push([term, text]);
    return `\u0000item ${items.length - 1}\u0000`;
  };
  const lines = helper.formatHelp(cmd, helper).split('\n');
  const fail = (why: string): never => {
    throw new Error(`help model: ${commandPath(cmd)}: commander's help layout is not the one render-help.ts was ported from (${why})`);
  };
  const [usage, blank] = lines;
  if (usage === undefined || usage.includes('\u0000') || blank !== '') fail('usage line');
  let i = 2;
  if (description !== undefined) {
    if (lines[i] !== DESCRIPTION || lines[i + 1] !== '') fail('description');
    i += 2;
  }
  const lists: HelpList[] = [];
  let next = 0;
  while (i < lines.length) {
    const heading = lines[i] ?? '';
    if (heading === '' || heading.includes('\u0000')) fail(`heading at line ${i}`);
    const list: HelpList = { heading, items: [] };
    for (i += 1; lines[i] === `\u0000item ${next}\u0000`; i += 1, next += 1) list.items.push(items[next] ?? fail('item'));
    if (list.items.length === 0 || lines[i] !== '') fail(`list ${heading}`);
    lists.push(list);
    i += 1;
  }
  if (i !== lines.length || next !== items.length || termWidths.size > 1) fail('end');
  return { usage: usage ?? '', description: description ?? '', lists, termWidth: [...termWidths][0] ?? 0 };
}

function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}
