#!/usr/bin/env bash
# Run the ADL CATAPULT LMS test suite (cmi5) against Gilde.
#   tools/cmi5_lts/run.sh /path/to/CATAPULT
# Builds the suite's test packages (npm, webpack), starts Gilde on a throwaway SQLite database
# at http://localhost:8765 (content on 127.0.0.1:8765), and runs the suite with Gilde's
# adapter. Needs Debian's Chromium at /usr/bin/chromium. The suite's code stays where it is;
# only the adapter (our own) is copied into it.
set -euo pipefail
CATAPULT="$(cd "$1" && pwd)"
GILDE_DIR="$(cd "$(dirname "$0")/../.." && pwd)"
PORT="${PORT:-8765}"
WORK="$(mktemp -d)"
export GILDE_DIR GILDE_LTS_SITE="http://localhost:${PORT}"
export DATABASE_URL="sqlite:///${WORK}/lts.sqlite3" MEDIA_ROOT="${WORK}/media"
export SITE_URL="$GILDE_LTS_SITE" DEBUG=true

cd "$CATAPULT/lts"
[ -d node_modules ] || PUPPETEER_SKIP_CHROMIUM_DOWNLOAD=1 npm ci --no-audit --no-fund
[ -d pkg/dist ] || (cd pkg && NODE_OPTIONS=--openssl-legacy-provider npx webpack)
cp "$GILDE_DIR/tools/cmi5_lts/lms.custom.js" lib/lms.custom.js
printf 'CATAPULT_LMS="./lib/lms.custom.js"\n' > .env

cd "$GILDE_DIR"
uv run gilde migrate --no-input >/dev/null
for _ in $(seq 1 50); do ss -ltn "( sport = :${PORT} )" | grep -q LISTEN || break; sleep 0.2; done
setsid uv run gilde runserver "localhost:${PORT}" --noreload >"$WORK/server.log" 2>&1 &
SERVER=$!
# The server runs in a process group of its own: stop all of it (uv and Django) at the end.
trap 'kill -- -$SERVER 2>/dev/null || true; sleep 1; cp "$WORK/server.log" "${GILDE_LTS_LOG:-/dev/null}" 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 1 50); do curl -fs "$GILDE_LTS_SITE/xapi/about" >/dev/null && break; sleep 0.2; done
if grep -q "already in use" "$WORK/server.log"; then echo "port ${PORT} is taken; set PORT" >&2; exit 1; fi

cat >"$WORK/jest-puppeteer.config.js" <<CONFIG
module.exports = {launch: {headless: true, executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]}};
CONFIG
cd "$CATAPULT/lts"
JEST_PUPPETEER_CONFIG="$WORK/jest-puppeteer.config.js" npx jest --runInBand --testTimeout=60000 "${@:2}"
