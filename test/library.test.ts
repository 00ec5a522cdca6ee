import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { analyze, DEFAULT_WINDOW_MS, loadRules } from '../src/index.js';
import { CLI, REPO } from './helpers.js';

// The package's entry point is the library the CLI is built from: same stages, same verdicts.
describe('library entry point', () => {
  it('analyses a sample like the CLI does', async () => {
    const rules = await loadRules([]);
    const { verdicts } = await analyze({ dir: path.join(REPO, 'samples/03-nginx-444'), include: [], exclude: [], zones: new Map(), windowMs: DEFAULT_WINDOW_MS, rules });
    assert.deepEqual(verdicts.map((v) => v.cause), ['server/nginx-444']);
  });
});

describe('the bin', () => {
  it('is executable after the build, so `npx whoreset` runs it', () => {
    assert.ok((statSync(CLI).mode & 0o111) !== 0, `${CLI} is not executable`);
  });
});
