/**
 * Where a problem of a rule or format file is in its text, as line:column (1-based, as editors and
 * compilers show them), from the JSON pointer the problem names. jsonc-parser (VS Code's JSON
 * parser) finds the node; it is loaded only when a file has a problem.
 */
import type { ParseError } from 'jsonc-parser';

/** What can be located: a problem naming a JSON pointer, perhaps located already. */
interface Locatable {
  pointer: string;
  line?: number;
  column?: number;
}

/** Line and column of an offset into a text. */
function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}

/** Where the first syntax error of a JSON text is, as jsonc-parser finds it (V8's message does not always say). */
export async function syntaxErrorPosition(text: string): Promise<{ line: number; column: number } | undefined> {
  const { parse } = await import('jsonc-parser');
  const errors: ParseError[] = [];
  parse(text, errors, { disallowComments: true, allowTrailingComma: false });
  return errors[0] && lineColumn(text, errors[0].offset);
}

/** A JSON pointer's segments ("" and "/" are the document itself); array indexes as numbers. */
function segments(pointer: string): Array<string | number> {
  if (pointer === '' || pointer === '/') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^(0|[1-9]\d*)$/.test(s) ? Number(s) : s));
}

/**
 * The problems with the line and column of what their pointer names: an object's member at its
 * key, anything else at its value. A problem already located, or naming no node, is kept as it is.
 */
export async function locateProblems<P extends Locatable>(text: string, problems: P[]): Promise<P[]> {
  if (problems.every((p) => p.line !== undefined || p.pointer === '')) return problems;
  const { findNodeAtLocation, parseTree } = await import('jsonc-parser');
  const root = parseTree(text);
  if (root === undefined) return problems;
  return problems.map((problem) => {
    if (problem.line !== undefined || problem.pointer === '') return problem;
    const node = findNodeAtLocation(root, segments(problem.pointer));
    if (node === undefined) return problem;
    // A member's value sits under its property node, whose offset is the key's.
    const at = node.parent?.type === 'property' ? node.parent.offset : node.offset;
    return { ...problem, ...lineColumn(text, at) };
  });
}
