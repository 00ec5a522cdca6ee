import { readFile } from 'node:fs/promises';
import { ClickHouseLogLevel, createClient, type ClickHouseClient } from '@clickhouse/client';
import type { JobRows } from './rows.js';

/** The DDL that ships with the package (schemas/clickhouse/tables.sql). */
export const TABLES_SQL = new URL('../../../schemas/clickhouse/tables.sql', import.meta.url);

export interface ClickHouseTarget {
  /** The HTTP interface: http(s)://host:port. */
  url: string;
  database: string;
  username?: string;
  password?: string;
}

/**
 * `clickhouse://HOST:PORT/DB` (or http:// / https://) as the HTTP interface's address and the
 * database; user and password from the URL or CLICKHOUSE_USER / CLICKHOUSE_PASSWORD. Undefined
 * with the reason when it is not such a URL.
 */
export function parseTarget(text: string, env: NodeJS.ProcessEnv = process.env): ClickHouseTarget | string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return `${text}: not a URL; expected clickhouse://HOST:PORT/DATABASE`;
  }
  const scheme = { 'clickhouse:': 'http:', 'http:': 'http:', 'https:': 'https:' }[url.protocol];
  if (scheme === undefined) return `${text}: expected clickhouse://, http:// or https://`;
  const database = decodeURIComponent(url.pathname.replace(/^\/+|\/+$/g, '')) || 'default';
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(database)) return `${text}: the database name ${JSON.stringify(database)} is not a plain identifier`;
  const port = url.port || (scheme === 'https:' ? '8443' : '8123');
  const username = decodeURIComponent(url.username) || env.CLICKHOUSE_USER;
  const password = decodeURIComponent(url.password) || env.CLICKHOUSE_PASSWORD;
  return { url: `${scheme}//${url.hostname}:${port}`, database, ...(username ? { username } : {}), ...(password ? { password } : {}) };
}

/** The statements of a .sql file: `--` comments dropped, split at the `;` that end them. */
export function statements(sql: string): string[] {
  return sql
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('--'))
    .join('\n')
    .split(';')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** A connection to the tables: created (database and tables) when missing. */
export class ClickHouseSink {
  private constructor(private readonly client: ClickHouseClient) {}

  static async open(target: ClickHouseTarget): Promise<ClickHouseSink> {
    // The client's own logger would print its errors with their stacks: ours say what failed, once.
    const log = { level: ClickHouseLogLevel.OFF };
    const admin = createClient({ url: target.url, username: target.username, password: target.password, log });
    try {
      await admin.command({ query: `CREATE DATABASE IF NOT EXISTS ${target.database}` });
    } finally {
      await admin.close();
    }
    const client = createClient({
      url: target.url,
      database: target.database,
      username: target.username,
      password: target.password,
      log,
      // A column added by a newer whoreset is skipped by an older table, not an error.
      clickhouse_settings: { input_format_skip_unknown_fields: 1 },
    });
    for (const statement of statements(await readFile(TABLES_SQL, 'utf8'))) await client.command({ query: statement });
    return new ClickHouseSink(client);
  }

  /** Writes one job's rows (JSONEachRow over HTTP), in batches. */
  async write(rows: JobRows): Promise<void> {
    for (const [table, values] of [['whoreset_incidents', rows.incidents], ['whoreset_events', rows.events]] as const) {
      for (let i = 0; i < values.length; i += BATCH) await this.client.insert({ table, values: values.slice(i, i + BATCH), format: 'JSONEachRow' });
    }
  }

  async query<T>(sql: string): Promise<T[]> {
    const result = await this.client.query({ query: sql, format: 'JSONEachRow' });
    return result.json<T>();
  }

  close(): Promise<void> {
    return this.client.close();
  }
}

/** Rows per insert: one HTTP request of a few MB. */
const BATCH = 10_000;
