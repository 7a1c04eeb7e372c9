import type { HelpModel, HelpNode, HelpPage } from './help-model.js';

/**
 * Prints a help page of the model (help-model.ts) at a terminal's width, byte for byte as commander
 * does, without commander: part of the lean route (src/cli/help/lean-help.ts), so no imports.
 *
 * Ported from commander 14.0.3 (MIT, lib/help.js, Help): formatHelp's joining of the parts,
 * formatItem, boxWrap and preformatted, and prepareContext's width (`helpWidth ?? 80`). The model
 * holds no ANSI escapes (help-model.ts checks), so Help.displayWidth (stripColor(str).length) is the
 * length here, and commander's stripColor, which it applies when stdout has no colors, changes
 * nothing: its output is the same in every color mode (NO_COLOR, FORCE_COLOR, CLICOLOR_FORCE).
 */

/** `columns`: what commander's getOutHelpWidth says (process.stdout.columns on a terminal, else undefined). */
export function renderHelpPage(page: HelpPage, minWidthToWrap: number, columns: number | undefined): string {
  const helpWidth = columns ?? 80;
  const output = [page.usage, ''];
  if (page.description.length > 0) output.push(boxWrap(page.description, helpWidth, minWidthToWrap), '');
  for (const list of page.lists) {
    output.push(list.heading, ...list.items.map(([term, description]) => formatItem(term, page.termWidth, description, helpWidth, minWidthToWrap)), '');
  }
  return `${page.before}${output.join('\n')}${page.after}`;
}

/**
 * The node whose help `argv` (after `awskeys`) asks for, exactly as commander reads it: a command
 * path (names or aliases) and then one of its help flags, its help command alone, or its help
 * command and one subcommand's name. Anything else (another word or flag anywhere, `--help=x`, an
 * unknown command) is undefined: commander decides those.
 */
export function helpNodeFor(model: HelpModel, argv: readonly string[]): HelpNode | undefined {
  const child = (node: HelpNode, name: string | undefined): HelpNode | undefined =>
    name !== undefined && Object.hasOwn(node.commands, name) ? model.nodes[node.commands[name] ?? -1] : undefined;
  let node = model.nodes[0];
  if (!node) return undefined;
  let i = 0;
  for (let next = child(node, argv[0]); next; next = child(node, argv[i])) {
    node = next;
    i += 1;
  }
  const rest = argv.slice(i);
  if (rest.length === 1 && node.helpFlags.includes(rest[0] ?? '')) return node;
  if (node.helpCommand === undefined || rest[0] !== node.helpCommand) return undefined;
  if (rest.length === 1) return node;
  return rest.length === 2 ? child(node, rest[1]) : undefined;
}

/** The text `awskeys <argv>` prints for help, or undefined when argv is not exactly a request for help. */
export function helpTextFor(model: HelpModel, argv: readonly string[], columns: () => number | undefined): string | undefined {
  const node = helpNodeFor(model, argv);
  return node && renderHelpPage(node.page, model.minWidthToWrap, columns());
}

/** Help.formatItem: the term padded to termWidth, the description wrapped beside it and indented. */
function formatItem(term: string, termWidth: number, description: string, helpWidth: number, minWidthToWrap: number): string {
  const itemIndent = 2;
  const itemIndentStr = ' '.repeat(itemIndent);
  if (!description) return itemIndentStr + term;
  const paddedTerm = term.padEnd(termWidth);
  const spacerWidth = 2;
  const remainingWidth = helpWidth - termWidth - spacerWidth - itemIndent;
  let formattedDescription: string;
  if (remainingWidth < minWidthToWrap || preformatted(description)) {
    formattedDescription = description;
  } else {
    formattedDescription = boxWrap(description, remainingWidth, minWidthToWrap).replace(/\n/g, '\n' + ' '.repeat(termWidth + spacerWidth));
  }
  return itemIndentStr + paddedTerm + ' '.repeat(spacerWidth) + formattedDescription.replace(/\n/g, `\n${itemIndentStr}`);
}

/** Help.preformatted: a line break followed by whitespace means the author wrapped it. */
function preformatted(str: string): boolean {
  return /\n[^\S\r\n]/.test(str);
}

/** Help.boxWrap: wraps at whitespace to `width`, keeping the line breaks there are. */
function boxWrap(str: string, width: number, minWidthToWrap: number): string {
  if (width < minWidthToWrap) return str;
  const chunkPattern = /[\s]*[^\s]+/g;
  const wrappedLines: string[] = [];
  for (const line of str.split(/\r\n|\n/)) {
    const chunks = line.match(chunkPattern);
    if (chunks === null) {
      wrappedLines.push('');
      continue;
    }
    let sumChunks = [chunks[0]];
    let sumWidth = chunks[0].length;
    for (const chunk of chunks.slice(1)) {
      // Accumulate chunks while they fit into width.
      if (sumWidth + chunk.length <= width) {
        sumChunks.push(chunk);
        sumWidth += chunk.length;
        continue;
      }
      wrappedLines.push(sumChunks.join(''));
      const nextChunk = chunk.trimStart(); // trim space at line break
      sumChunks = [nextChunk];
      sumWidth = nextChunk.length;
    }
    wrappedLines.push(sumChunks.join(''));
  }
  return wrappedLines.join('\n');
}
