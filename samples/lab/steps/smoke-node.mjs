// A CI smoke-test step in Node (no packages): node:http for the first calls, global fetch for the
// export; an error is printed the way Node prints it (console.error(err)) and fails the step.
//   node smoke-node.mjs <base url>
import http from 'node:http';

const base = process.argv[2];

function get(path) {
  return new Promise((resolve, reject) => {
    const req = http.get(base + path, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
      res.on('error', reject);
    });
    req.setTimeout(10_000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

console.log(`smoke test against ${base}`);
let failed = 0;
for (const path of ['/api/health', '/api/items', '/api/v1/export']) {
  try {
    console.log(`GET ${path} -> ${await get(path)}`);
  } catch (err) {
    failed++;
    console.error(`GET ${path} failed:`);
    console.error(err);
  }
}
try {
  const res = await fetch(base + '/api/v1/report.csv');
  console.log(`fetch /api/v1/report.csv -> ${res.status} (${(await res.text()).length} bytes)`);
} catch (err) {
  failed++;
  console.error('fetch /api/v1/report.csv failed:');
  console.error(err);
}
process.exitCode = failed ? 1 : 0;
