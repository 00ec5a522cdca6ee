/**
 * Rules come from users' folders, so their regular expressions must not be able to hang a run.
 * JavaScript's engine backtracks; rather than ship a second engine, patterns that can backtrack
 * super-linearly are refused, in two steps:
 * - unsafeRegexReason, a quick syntactic gate run on every rule: a quantified group that itself
 *   holds a quantifier, an optional or an alternation ("(a+)+", "(a?a?)+", "(a|ab)*"), and
 *   backreferences;
 * - superLinearReason, recheck's analysis (automata theory, or fuzzing where the automaton would
 *   be too big) of the user's rules, which also finds "z*z*z*z*Q" and other sequences of
 *   overlapping quantifiers that no syntactic rule of thumb catches.
 */
import { createRequire } from 'node:module';
import type { checkSync as CheckSync } from 'recheck';

export function unsafeRegexReason(pattern: string): string | undefined {
  if (/\\[1-9]|\\k</.test(pattern)) return 'backreferences are not allowed';
  // For each open group: does it hold a quantifier, an optional or an alternation?
  const stack: boolean[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '[') {
      // Skip a character class: quantifier characters inside it are literals.
      for (i++; i < pattern.length && pattern[i] !== ']'; i++) if (pattern[i] === '\\') i++;
      continue;
    }
    if (c === '(') {
      stack.push(false);
      // "(?:", "(?=", "(?<name>": that '?' opens the group, it is no optional.
      if (pattern[i + 1] === '?') i++;
    } else if (c === '|' && stack.length > 0) stack[stack.length - 1] = true;
    else if (c === '*' || c === '+' || c === '{' || c === '?') {
      if (stack.length > 0) stack[stack.length - 1] = true;
    } else if (c === ')') {
      const risky = stack.pop() ?? false;
      const next = pattern[i + 1];
      if (risky && (next === '*' || next === '+' || next === '{')) {
        return `a repeated group holds a quantifier, an optional or an alternation near position ${i}: it could backtrack exponentially`;
      }
      if (risky && stack.length > 0) stack[stack.length - 1] = true;
    }
  }
  return undefined;
}

/** How long recheck may think about one pattern: longer, and the pattern is refused as not shown safe. */
const ANALYSIS_TIMEOUT_MS = 10_000;

/** recheck's pure JavaScript build: no native binary, no Java, nothing fetched at run time (loaded on first use; require keeps it). */
function recheck(): typeof CheckSync {
  return (createRequire(import.meta.url)('recheck/lib/main.js') as { checkSync: typeof CheckSync }).checkSync;
}

/**
 * Why a pattern is refused by recheck, or undefined. Exponential and cubic or worse patterns are
 * refused everywhere; quadratic ones only where the text matched is not bounded: `boundedInput`
 * is false for request paths and hosts, true for excerpts (300 characters) and exception names.
 */
export function superLinearReason(pattern: string, flags: string, boundedInput: boolean): string | undefined {
  const result = recheck()(pattern, flags, { timeout: ANALYSIS_TIMEOUT_MS });
  if (result.status === 'safe') return undefined;
  if (result.status === 'unknown') {
    return result.error.kind === 'timeout'
      ? `could not be shown to match in linear time within ${ANALYSIS_TIMEOUT_MS / 1000} s: simplify it`
      : `could not be analysed (${result.error.kind}): simplify it`;
  }
  const { complexity, attack } = result;
  if (complexity.type === 'polynomial' && complexity.degree <= 2 && boundedInput) return undefined;
  return `its matching time is ${complexity.summary} in the text's length (e.g. on ${JSON.stringify(attack.pattern)}): it could hang a run`;
}
