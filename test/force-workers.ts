// Imported before the code under test: small sample jobs are read by workers too (pool.ts reads this once, at load).
process.env.WHORESET_PARALLEL_MIN_BYTES = '1';
