#!/usr/bin/env bash
# The API checks (tests/api/README.md): a virtual environment with the pinned tools, then run.py.
#   tests/api/run.sh [--bin target/debug/prioritise] [--max-time 150]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
venv="${API_VENV:-$here/.venv}"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv" 2>/dev/null || {
    SUDO=""; [ "$(id -u)" != "0" ] && SUDO="sudo"
    $SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q python3-venv
    python3 -m venv "$venv"
  }
fi
if ! "$venv/bin/python" -c 'import schemathesis, openapi_spec_validator, openapi_python_client' 2>/dev/null; then
  "$venv/bin/pip" install -q --disable-pip-version-check -r "$here/requirements.txt"
fi
export PATH="$venv/bin:$PATH"
exec "$venv/bin/python" "$here/run.py" "$@"
