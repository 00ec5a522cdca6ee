/**
 * The path as a join key: without the query string. Proxies differ in what they log (HAProxy's
 * httplog drops nothing, some parsers and formats keep only the path), and the query rarely
 * decides which request it was.
 */
export function pathKey(path: string | undefined): string | undefined {
  if (path === undefined) return undefined;
  const q = path.indexOf('?');
  return q === -1 ? path : path.slice(0, q);
}
