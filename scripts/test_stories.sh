#!/usr/bin/env bash
# `rasa test` on the conversation tests in tests/test_stories.yml: every user
# message goes through the trained NLU, every bot action must match.
set -euo pipefail
cd "$(dirname "$0")/.."
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"
out=results/stories
mkdir -p results
rm -rf "$out"
.venv/bin/rasa test core --model models/current.tar.gz --stories tests/test_stories.yml \
  --out "$out" --fail-on-prediction-errors --no-plot >"$out.log" 2>&1 || {
  echo "rasa test : des conversations échouent (détail : $out/failed_test_stories.yml)" >&2
  [ -f "$out/failed_test_stories.yml" ] && grep -B2 -A2 "predicted" "$out/failed_test_stories.yml" | head -60 >&2
  tail -20 "$out.log" >&2
  exit 1
}
total=$(grep -c "^  - story:" tests/test_stories.yml)
echo "rasa test : $total conversations de test, toutes correctes."
