/** pytest's terminal layout (80 columns, as on a CI runner without a tty). */

const WIDTH = 80;

/** `sep("=", title)`: the title centred in a rule of `ch`, as _pytest/_io/terminalwriter.py does. */
export function sep(ch: string, title?: string): string {
  if (title === undefined) return ch.repeat(WIDTH);
  const n = Math.max(Math.floor((WIDTH - title.length - 2) / (2 * ch.length)), 1);
  const fill = ch.repeat(n);
  let line = `${fill} ${title} ${fill}`;
  if (line.length + ch.trimEnd().length <= WIDTH) line += ch.trimEnd();
  return line;
}

/** A verbose progress line: "tests/x.py::test_y PASSED      [ 42%]". */
export function progressLine(nodeid: string, status: string, done: number, total: number): string {
  const left = `${nodeid} ${status}`;
  const right = `[${String(Math.floor((done * 100) / total)).padStart(3)}%]`;
  const fill = WIDTH - left.length - right.length;
  return left + ' '.repeat(Math.max(fill, 1)) + right;
}

/** "734.21s (0:12:14)" as pytest ≥ 8 words a run's duration. */
export function duration(ms: number): string {
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(2)}s`;
  const whole = Math.floor(s);
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const sec = whole % 60;
  return `${s.toFixed(2)}s (${h}:${String(m).padStart(2, '0')}:${String(sec).padStart(2, '0')})`;
}

/** The session header pytest -v prints on a GitHub-hosted runner. */
export function sessionHeader(collected: number): string[] {
  return [
    sep('=', 'test session starts'),
    'platform linux -- Python 3.11.7, pytest-9.0.3, pluggy-1.6.0 -- /opt/hostedtoolcache/Python/3.11.7/x64/bin/python',
    'cachedir: .pytest_cache',
    'rootdir: /home/runner/work/shop/shop',
    'configfile: pyproject.toml',
    'plugins: anyio-4.9.0, timeout-2.4.0',
    `collecting ... collected ${collected} items`,
    '',
  ];
}

/** The "Run" step group GitHub Actions writes before the command's output. */
export function stepHeader(): string[] {
  return [
    '##[group]Run python -m pytest -v --tb=short tests/',
    '\x1b[36;1mpython -m pytest -v --tb=short tests/\x1b[0m',
    'shell: /usr/bin/bash -e {0}',
    'env:',
    '  pythonLocation: /opt/hostedtoolcache/Python/3.11.7/x64',
    '  LD_LIBRARY_PATH: /opt/hostedtoolcache/Python/3.11.7/x64/lib',
    '##[endgroup]',
  ];
}
