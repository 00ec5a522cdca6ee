/**
 * Rules come from users' folders, so their regular expressions must not be able to hang a run.
 * JavaScript's engine backtracks; rather than ship a second engine, patterns that can backtrack
 * exponentially are refused: a quantified group that itself holds a quantifier or an alternation
 * ("(a+)+", "(a|ab)*"), and backreferences. Inputs are bounded too (excerpts of 300 characters),
 * so what remains is at worst polynomial on short strings.
 */
export function unsafeRegexReason(pattern: string): string | undefined {
  if (/\\[1-9]|\\k</.test(pattern)) return 'backreferences are not allowed';
  // For each open group: does it hold a quantifier or an alternation?
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
    if (c === '(') stack.push(false);
    else if (c === '|' && stack.length > 0) stack[stack.length - 1] = true;
    else if (c === '*' || c === '+' || c === '{') {
      if (stack.length > 0) stack[stack.length - 1] = true;
    } else if (c === ')') {
      const risky = stack.pop() ?? false;
      const next = pattern[i + 1];
      if (risky && (next === '*' || next === '+' || next === '{')) {
        return `a repeated group holds a quantifier or an alternation near position ${i}: it could backtrack exponentially`;
      }
      if (risky && stack.length > 0) stack[stack.length - 1] = true;
    }
  }
  return undefined;
}
