#!/usr/bin/env bash
# A CI smoke-test step (as a workflow's `run:` would hold it): curl each endpoint; on a failure,
# repeat that request with -v into an artifact file and fail the step.
#   smoke-curl.sh <base url> <artifact dir>
set -u
base=$1
artifacts=$2
echo "smoke test against $base"
for path in /api/health /api/items /api/v1/export /api/items/7; do
  echo "GET $path"
  if ! curl -sS -o /dev/null -w '%{http_code} %{time_total}s\n' "$base$path"; then
    echo "GET $path failed; trace in curl-trace.txt"
    curl -v -o /dev/null "$base$path" 2>"$artifacts/curl-trace.txt"
    exit 1
  fi
done
