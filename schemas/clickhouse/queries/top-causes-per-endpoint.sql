-- Top causes per endpoint: for each host:port and path, its causes, most frequent first.
SELECT concat(host, ':', toString(ifNull(port, 0))) AS endpoint, path, cause, sum(count) AS failures, uniqExact(repo, job) AS jobs
FROM whoreset_incidents FINAL
WHERE host != ''
GROUP BY endpoint, path, cause
ORDER BY failures DESC, endpoint, path, cause
LIMIT 50
