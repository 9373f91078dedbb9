#!/usr/bin/env bash
# Sequential experiment queue: each line of the file is "CONFIG NAME SCHEME [overrides...]".
# Waits for any earlier run.sh to finish so only one training runs at a time.
here="$(cd "$(dirname "$0")" && pwd)"
while read -r line; do
  [[ -z "$line" || "$line" == \#* ]] && continue
  while pgrep -f "spacy train" > /dev/null; do sleep 20; done
  # shellcheck disable=SC2086
  "$here/run.sh" $line || echo "failed: $line" >> "$here/runs/queue_errors.log"
done < "$1"
