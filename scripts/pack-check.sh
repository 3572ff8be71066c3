#!/usr/bin/env bash
# Packs every published workspace package as it would be published (`pnpm pack`: publishConfig applied,
# workspace: versions replaced), lints each tarball (publint --strict, attw --profile esm-only), installs the
# tarballs with npm into a clean temporary project (the tarballs + the npm registry for tfjs and other
# third-party dependencies) and runs, there:
# - the README's "Use one package" example, extracted from README.md;
# - scripts/pack-examples/tokenizer.mjs: tokenizer encode from a tokenizer.json;
# - scripts/pack-examples/llama.mjs: llama generate from a safetensors folder (packages/llama/fixtures/gqa_untied);
# - scripts/pack-examples/trainer.mjs: two trainer steps;
# - the `wpo` bin (`wpo --help`).
# Needs `pnpm build` first. Packages are found from pnpm-workspace.yaml (non-private ones), so new ones are covered.
# Usage: bash scripts/pack-check.sh   (WPO_PACK_KEEP=1 keeps the temporary folder)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/wpo-pack.XXXXXX")
[ "${WPO_PACK_KEEP:-}" = 1 ] || trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/tarballs" "$tmp/app"

dirs=$(node --input-type=module -e '
  import { readFileSync } from "node:fs";
  import { workspaceDirs } from "./scripts/check-deps.mjs";
  for (const d of workspaceDirs()) if (!JSON.parse(readFileSync(`${d}/package.json`, "utf8")).private) console.log(d);')
# shellcheck disable=SC2086
printf '%s\n' $dirs | xargs -P 4 -I{} sh -c 'cd "{}" && pnpm pack --pack-destination "$0" >/dev/null' "$tmp/tarballs"
echo "pack-check: packed $(ls "$tmp/tarballs" | wc -l) packages"

lint_one() {
  local tgz=$1 name listing manifest ok=0
  name=$(basename "$tgz")
  listing=$(tar tzf "$tgz")
  grep -qx "package/LICENSE" <<<"$listing" || { echo "pack-check: $name has no LICENSE"; ok=1; }
  grep -qx "package/README.md" <<<"$listing" || { echo "pack-check: $name has no README.md"; ok=1; }
  manifest=$(tar xzf "$tgz" -O package/package.json)
  if grep -q '"@wpo/source"' <<<"$manifest"; then
    echo "pack-check: $name publishes the @wpo/source condition"; ok=1
  fi
  "$root/node_modules/.bin/publint" run "$tgz" --strict >"$tgz.publint" 2>&1 || { cat "$tgz.publint"; ok=1; }
  "$root/node_modules/.bin/attw" "$tgz" --profile esm-only --format ascii >"$tgz.attw" 2>&1 || { cat "$tgz.attw"; ok=1; }
  [ $ok = 0 ] && echo "pack-check: $name: LICENSE, README, publint --strict, attw --profile esm-only ok"
  return $ok
}
# Two tarballs at a time (the linters are CPU-bound).
lint=0
pids=()
for tgz in "$tmp"/tarballs/*.tgz; do
  lint_one "$tgz" &
  pids+=($!)
  if [ ${#pids[@]} -ge 2 ]; then wait "${pids[0]}" || lint=1; pids=("${pids[@]:1}"); fi
done
for pid in "${pids[@]}"; do wait "$pid" || lint=1; done
[ $lint = 0 ] || { echo "pack-check: tarball checks failed"; exit 1; }

cd "$tmp/app"
printf '{ "name": "wpo-pack-check", "private": true, "type": "module" }\n' >package.json
# The low end of the tfjs-core peer range (^4.22.0 -> 4.22.0; 4.22.0 is also the newest 4.x, its high end).
tfjs=$(node -p 'require(process.argv[1]).peerDependencies["@tensorflow/tfjs-core"].replace(/^[\^~>=]+/, "")' \
  "$root/packages/losses/package.json")
npm install --no-audit --no-fund --prefer-offline --loglevel=error "$tmp"/tarballs/*.tgz "@tensorflow/tfjs-core@$tfjs" >/dev/null
echo "pack-check: installed into $tmp/app (tfjs-core $(node -p 'require("@tensorflow/tfjs-core/package.json").version'))"

# The README's "Use one package" example, as written.
awk '/^## Use one package/{on=1} on&&/^```ts/{code=1;next} code&&/^```/{exit} code' "$root/README.md" >readme.mjs
[ -s readme.mjs ] || { echo "pack-check: no example under '## Use one package' in README.md"; exit 1; }
node readme.mjs
cp "$root"/scripts/pack-examples/*.mjs .
cp -r "$root/packages/llama/fixtures/gqa_untied" model
node tokenizer.mjs
node llama.mjs model
node trainer.mjs
npx --no-install wpo --help >/dev/null
echo "pack-check: wpo --help ok"
echo "pack-check: ok"
