-- Jobs whose failures were the client's own: every incident of the job attributed to the client.
SELECT repo, job, count() AS incidents, arraySort(groupUniqArray(cause)) AS causes
FROM whoreset_incidents FINAL
GROUP BY repo, job
HAVING countIf(attribution != 'client') = 0
ORDER BY repo, job
