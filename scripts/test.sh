#!/usr/bin/env bash
# Sets up a fresh Debian/Node 20 machine and runs the whole test suite:
# system packages, pnpm, dependencies, dependency rules, build, browser bundles, packed tarballs installed into a
# clean project (publint, attw, examples), lint, typecheck, tests, and a summary line.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup-system.sh

command -v pnpm >/dev/null 2>&1 || npm i -g pnpm@10
pnpm install --frozen-lockfile
node scripts/check-deps.mjs
pnpm build
node scripts/browser-bundles.mjs
bash scripts/pack-check.sh
pnpm lint
pnpm typecheck
pnpm doctest
rm -rf packages/*/test-results apps/*/test-results
status=0
pnpm test || status=$?
node scripts/summarize-tests.mjs || status=1
exit $status
