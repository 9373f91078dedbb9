#!/usr/bin/env bash
# Experiment runner: run.sh CONFIG NAME SCHEME [extra spacy overrides...]
# Trains one config in the background-friendly way (1 thread, nice 10), logs to runs/NAME.log.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cfg="$1"; name="$2"; scheme="$3"; shift 3
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1
start=$(date +%s)
nice -n 10 "$here/../.venv/bin/python" -m spacy train "$cfg" --output "$here/runs/$name" \
  --paths.train "$here/corpus/train.$scheme.spacy" --paths.dev "$here/corpus/dev.$scheme.spacy" "$@" \
  > "$here/runs/$name.log" 2>&1
echo "wall_seconds $(( $(date +%s) - start ))" >> "$here/runs/$name.log"
