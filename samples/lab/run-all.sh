#!/usr/bin/env bash
# Regenerate every sample under samples/ by running the real programs on loopback.
#   bash samples/lab/run-all.sh            (npm run samples)
#   bash samples/lab/run-all.sh 12 16      only scenarios whose name starts with 12 / 16
# Needs: python3 with requests + urllib3 + pytest; nginx, haproxy, iptables, iproute2, squid, curl,
# node, gunicorn, uvicorn, Debian's python3-httpx (installed with apt-get when missing and we are root).  Scenarios that need network namespaces (firewall,
# DNS) need root and are skipped otherwise.
set -u
cd "$(dirname "$0")/../.."

missing_py=$(python3 - <<'PY' 2>&1
import importlib
miss = [m for m in ("requests", "urllib3", "pytest") if importlib.util.find_spec(m) is None]
print(" ".join(miss))
PY
) || { echo "whoreset lab: python3 is missing or broken: $missing_py" >&2; exit 2; }
if [ -n "$missing_py" ]; then
  echo "whoreset lab: python3 lacks: $missing_py  (pip install requests urllib3 pytest; or Debian: apt-get install python3-requests python3-urllib3 python3-pytest with /usr/bin/python3 first on PATH)" >&2
  exit 2
fi

need=()
command -v nginx    >/dev/null || need+=(nginx-light)
command -v haproxy  >/dev/null || need+=(haproxy)
command -v iptables >/dev/null || need+=(iptables)
command -v ip       >/dev/null || need+=(iproute2)
command -v dmesg    >/dev/null || need+=(util-linux)
command -v squid    >/dev/null || need+=(squid)
command -v curl     >/dev/null || need+=(curl)
command -v node     >/dev/null || need+=(nodejs)
command -v gunicorn >/dev/null || need+=(gunicorn)   # Debian's, on its own /usr/bin/python3
command -v uvicorn  >/dev/null || need+=(uvicorn)
# 39 runs its httpx suite on Debian's python (PyPI may be out of reach): httpx, pytest, requests from Debian
[ -x /usr/bin/python3 ] && /usr/bin/python3 -c "import httpx, pytest, requests" 2>/dev/null \
  || need+=(python3 python3-httpx python3-pytest python3-requests)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "whoreset lab: installing ${need[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq "${need[@]}" >/dev/null \
      || { echo "whoreset lab: apt-get install ${need[*]} failed" >&2; exit 2; }
  else
    echo "whoreset lab: missing programs (${need[*]}); install them (Debian: apt-get install ${need[*]})" >&2
    exit 2
  fi
fi

exec python3 samples/lab/lab.py "$@"
