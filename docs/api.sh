#!/usr/bin/env bash
# The API reference, generated from the docstrings by pdoc: docs/api.sh [OUTDIR] (default
# build/api; open OUTDIR/index.html). Needs the dev extra: pip install -e '.[dev]'.
# Every module of src/akn_ep is documented, private ones (_name) aside; any warning pdoc
# gives (a module that does not import, an annotation or __all__ entry that does not
# resolve, a broken include) is an error, so CI (.ci/run) fails on it. Two warnings are
# expected and let through: akn_ep.convert_many and akn_ep.publish are imported on first
# use (akn_ep.__getattr__), which pdoc cannot follow (they are documented in akn_ep.batch
# and akn_ep.repository); and a module named twice (a package's __all__ naming it).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-build/api}
python=${PYTHON:-.venv/bin/python}
modules=$(cd src && find akn_ep -name "*.py" ! -path "*/__pycache__/*" \
  | sed 's#/__init__\.py$##; s/\.py$//' | grep -v "/_" | sed 's#/#.#g' | sort)
# shellcheck disable=SC2086 # one argument per module
"$python" -W error \
  -W "ignore:Found 'convert_many' in akn_ep.__all__" -W "ignore:Found 'publish' in akn_ep.__all__" \
  -W "ignore:The module specification" \
  -m pdoc --docformat google -o "$out" $modules
echo "API reference: $out/index.html"
