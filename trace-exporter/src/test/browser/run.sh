#!/usr/bin/env bash
# The trace browser's checks in headless Chromium (see browse.mjs for the arguments). Installs
# playwright-core from the lock file on first use; the browser itself is Debian's chromium.
set -euo pipefail
cd "$(dirname "$0")"
[ -d node_modules/playwright-core ] || npm ci --no-audit --no-fund --loglevel=error >/dev/null
exec node browse.mjs "$@"
