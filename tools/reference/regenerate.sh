#!/usr/bin/env bash
# Regenerates every committed parity fixture from the PyTorch reference scripts in this folder.
# Needs Debian's python3-torch (apt-get install python3-torch libopenblas0-pthread), run with /usr/bin/python3.
set -euo pipefail
cd "$(dirname "$0")"
PY=/usr/bin/python3
"$PY" -c "import torch" 2>/dev/null || { echo "regenerate: /usr/bin/python3 has no torch; apt-get install python3-torch" >&2; exit 1; }
for script in [a-z]*.py; do
  echo "== $script"
  "$PY" "$script"
done
