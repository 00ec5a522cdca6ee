-- Resets by side per day: how many connection failures each side caused, day by day.
SELECT toDate(time) AS day, attribution, sum(count) AS failures
FROM whoreset_incidents FINAL
WHERE time_ms > 0
GROUP BY day, attribution
ORDER BY day, failures DESC, attribution
