/** The methods of nearly every request line, most frequent first. */
const COMMON_METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'] as const;

/**
 * The HTTP method written from `start` to `end` of `text`: one shared string for a common method
 * (the bulk of a log then allocates no string per line for it), else a slice of its own.
 */
export function methodAt(text: string, start: number, end: number): string {
  const length = end - start;
  for (const method of COMMON_METHODS) if (method.length === length && text.startsWith(method, start)) return method;
  return text.slice(start, end);
}
