import type { World } from './world.js';

/** One request/response as nginx and urllib3 both log it. */
export interface Exchange {
  method: string;
  path: string;
  status: number;
  bytes: number;
  /** Transfer-Encoding: chunked: urllib3 logs the length as None. */
  chunked?: boolean;
}

/** An open keep-alive connection, as both ends know it. */
export interface Conn {
  conn: number;
  pid: number;
}

/** The client opens connection number `n` of its pool; nginx accepts it. */
export function open(w: World, n = 1): Conn {
  w.newConnection(n);
  w.wait(0.1, 0.4);
  return w.accept();
}

/** A successful request: nginx logs it when the response is sent, urllib3 right after. */
export function exchange(w: World, x: Exchange, upstreamMs: [number, number] = [0.8, 4.5]): void {
  w.wait(0.1, 0.4);
  const start = w.t;
  w.wait(upstreamMs[0], upstreamMs[1]);
  w.accessLine(x.method, x.path, x.status, x.bytes, (w.t - start) / 1000, String(x.status));
  w.wait(0.05, 0.3);
  w.responseLine(x.method, x.path, x.status, x.chunked ? 'None' : x.bytes);
}

/** The client's Session is closed at the end of the test: nginx sees EOF on the idle connection. */
export function close(w: World, c: Conn): void {
  w.wait(0.1, 0.6);
  w.errorLine('info', c.pid, c.conn, 'client 127.0.0.1 closed keepalive connection');
}

/** A passing test: what it is called and the requests it makes. */
export interface TrafficTest {
  nodeid: string;
  requests: Exchange[];
}

const SEARCH_TERMS = ['widget', 'gadget', 'sprocket', 'bolt', 'nut', 'gear', 'spring', 'valve', 'hose', 'clamp'];

/** The ordinary suite: most tests, each a handful of small JSON requests. */
export function ordinaryTest(w: World): TrafficTest {
  const r = w.rng;
  const k = r.int(100);
  if (k < 30) {
    const n = r.range(1, 500);
    const item: Exchange = { method: 'GET', path: `/api/items/${n}`, status: 200, bytes: 30 + String(n).length };
    const reqs = [item];
    if (r.chance(0.5)) reqs.push({ method: 'GET', path: `/api/items/${n}/stock`, status: 200, bytes: r.range(40, 60) });
    return { nodeid: `tests/test_items.py::test_get_item[${n}]`, requests: reqs };
  }
  if (k < 45) {
    const p = r.range(1, 40);
    return {
      nodeid: `tests/test_items.py::test_list_items[page${p}]`,
      requests: [{ method: 'GET', path: `/api/items?page=${p}&size=50`, status: 200, bytes: r.range(2300, 2700) }],
    };
  }
  if (k < 65) {
    const sku = r.range(1000, 9999);
    const id = r.range(10000, 99999);
    return {
      nodeid: `tests/test_orders.py::test_create_order[sku-${sku}]`,
      requests: [
        { method: 'POST', path: '/api/login', status: 200, bytes: r.range(58, 64) },
        { method: 'POST', path: '/api/orders', status: 201, bytes: r.range(85, 95) },
        { method: 'GET', path: `/api/orders/${id}`, status: 200, bytes: r.range(130, 160) },
      ],
    };
  }
  if (k < 78) {
    return {
      nodeid: `tests/test_reports.py::test_post_report[${r.range(1, 200)}]`,
      requests: [{ method: 'POST', path: '/api/report', status: 204, bytes: 0 }],
    };
  }
  if (k < 92) {
    const q = r.pick(SEARCH_TERMS);
    const reqs: Exchange[] = [];
    const n = r.range(2, 4);
    for (let i = 0; i < n; i++) {
      reqs.push({ method: 'GET', path: `/api/search?q=${q}&page=${i + 1}`, status: 200, bytes: r.range(300, 900) });
    }
    return { nodeid: `tests/test_search.py::test_search_pages[${q}]`, requests: reqs };
  }
  if (k < 97) {
    return {
      nodeid: 'tests/test_health.py::test_health',
      requests: [{ method: 'GET', path: '/api/health', status: 200, bytes: 11 }],
    };
  }
  const fmt = r.pick(['csv', 'tsv']);
  return {
    nodeid: `tests/test_export.py::test_export[${fmt}]`,
    requests: [{ method: 'GET', path: `/api/export?format=${fmt}`, status: 200, bytes: r.range(3900, 4300), chunked: true }],
  };
}

/** Runs an ordinary test's requests on one connection. */
export function runOrdinary(w: World, test: TrafficTest): void {
  const c = open(w);
  for (const x of test.requests) exchange(w, x);
  close(w, c);
}
