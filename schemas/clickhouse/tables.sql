-- whoreset's two tables in ClickHouse (output contract 1.x). `whoreset ship` creates them when
-- they are missing; the same statements can be run by hand (clickhouse-client --multiquery).
--
-- Dedup: ReplacingMergeTree. A row shipped again (same repo, job, time and id) replaces the one
-- shipped before when the parts merge, the later `shipped_at` kept; queries read the tables with
-- FINAL, which merges at read time, so a job shipped twice is never counted twice. Chosen over
-- insert_deduplication_token because it needs ClickHouse 22.2+ and, on a non-replicated table,
-- non_replicated_deduplication_window, and it only drops a byte-identical retry: a job analysed
-- again by a newer whoreset (other rules, other verdicts) must replace its rows, not sit beside them.
--
-- Partitions: by the job's day (its earliest known time, UTC), so that all of a job's rows share one
-- partition (ReplacingMergeTree replaces only within a partition) and retention drops whole days.
-- Sorting key: repo, job, time, then the row's id: a job's rows are stored together in time order.
-- Times: `time` in seconds (DateTime64 would need 20.1+), `time_ms` the full instant; 0 when the
-- line had no time (time_quality 'none'). Works from ClickHouse 18.16 (Debian 12) on.

CREATE TABLE IF NOT EXISTS whoreset_incidents
(
    day            Date,
    repo           String,
    job            String,
    dir            String,
    id             String,
    time           DateTime('UTC'),
    time_ms        UInt64,
    time_quality   String,
    origin         String,
    test           String,
    client_error   String,
    errno_name     String,
    method         String,
    url            String,
    host           String,
    port           Nullable(UInt16),
    path           String,
    count          UInt32,
    attribution    String,
    cause          String,
    rule_id        String,
    confidence     Float64,
    link           String,
    dt             Nullable(Float64),
    evidence       UInt32,
    reasons        Array(String),
    advice         Array(String),
    schema_version String,
    shipped_at     UInt64
)
ENGINE = ReplacingMergeTree(shipped_at)
PARTITION BY day
ORDER BY (repo, job, time, id);

CREATE TABLE IF NOT EXISTS whoreset_events
(
    day            Date,
    repo           String,
    job            String,
    dir            String,
    incident       String,
    id             String,
    time           DateTime('UTC'),
    time_ms        UInt64,
    time_quality   String,
    source         String,
    kind           String,
    file           String,
    line           UInt32,
    errno          Nullable(Int32),
    errno_name     String,
    exception      String,
    cause          String,
    method         String,
    path           String,
    host           String,
    port           Nullable(UInt16),
    status         Nullable(UInt16),
    client_addr    String,
    client_port    Nullable(UInt16),
    upstream       String,
    conn_id        String,
    test           String,
    closed_by      String,
    proxy_code     String,
    level          String,
    excerpt        String,
    phase          String,
    link           String,
    tie            String,
    dt             Nullable(Float64),
    schema_version String,
    shipped_at     UInt64
)
ENGINE = ReplacingMergeTree(shipped_at)
PARTITION BY day
ORDER BY (repo, job, time, incident, id);
