#!/usr/bin/env bash
# Run the coverage-guided fuzzers (atheris/libFuzzer) for a bounded time. See fuzz/README.md.
#
#   fuzz/run.sh [--seconds N | --runs N [--seed S]] [--target parse_text|from_akn|parse_pdf|all]
#               [--work DIR] [--strict] [-- LIBFUZZER_ARGS...]
#   fuzz/run.sh --minimize CRASH_FILE --target parse_text|from_akn|parse_pdf
#
# --seconds N   time for EACH target (default 30); --target which harness (default all);
# --runs N      instead of a time, N inputs per target, replayable: with --seed S (default 1)
#               and a fixed hash seed the same inputs run every time (what CI does);
# --work DIR    where new corpus inputs and crash artifacts go (default: a fresh temp dir);
# --strict      known bugs (fuzz/oracle.py KNOWN_BUGS) count as crashes too.
# Exit status: 0 when no target crashed, 1 when one did (its input is printed), 2 on misuse.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-.venv/bin/python}
seconds=30
runs=""
seed=1
target=all
work=""
minimize=""
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --target) target=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --strict) export AKN_FUZZ_STRICT=1; shift ;;
    --minimize) minimize=$2; shift 2 ;;
    --) shift; extra=("$@"); break ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "fuzz/run.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

if ! "$PY" -c "import atheris" 2>/dev/null; then
  echo "fuzz/run.sh: atheris is not installed; run: $PY -m pip install -e '.[fuzz]'" >&2
  exit 2
fi

# libFuzzer re-runs the harness by its own path (minimising, forking): its "#!/usr/bin/env
# python3" must find the interpreter that has atheris
PATH="$(cd "$(dirname "$PY")" && pwd):$PATH"
export PATH

common=(-timeout=10 -rss_limit_mb=2048 -print_final_stats=1)

if [ -n "$minimize" ]; then
  [ "$target" != all ] || { echo "fuzz/run.sh: --minimize needs --target" >&2; exit 2; }
  exec "$PY" "fuzz/fuzz_${target}.py" -minimize_crash=1 -max_total_time="$seconds" \
    -exact_artifact_path="${minimize}.min" "${common[@]}" "$minimize"
fi

case "$target" in
  all) targets=(parse_text from_akn parse_pdf) ;;
  parse_text|from_akn|parse_pdf) targets=("$target") ;;
  *) echo "fuzz/run.sh: unknown target $target" >&2; exit 2 ;;
esac

if [ -n "$runs" ]; then
  # replayable: same seed, same hash seed (set iteration order steers the parser's
  # paths and so the coverage feedback), a count of inputs instead of a clock
  export PYTHONHASHSEED=0
  budget=(-runs="$runs" -seed="$seed")
  what="$runs inputs (seed $seed)"
else
  budget=(-max_total_time="$seconds")
  what="${seconds}s"
fi

[ -n "$work" ] || work=$(mktemp -d "${TMPDIR:-/tmp}/akn-fuzz.XXXXXX")
shared=../shared/corpus
status=0
for t in "${targets[@]}"; do
  mkdir -p "$work/$t/corpus" "$work/$t/artifacts"
  seeds=()
  if [ "$t" = parse_text ]; then
    seeds+=(fuzz/corpus_seeds/text)
    # the real resolutions, read in place (libFuzzer writes only to the first directory)
    for d in "$shared/seed" "$shared/clean" "$shared"/pdf-extracted/*; do
      [ -d "$d" ] && seeds+=("$d")
    done
    dict=fuzz/text.dict
  elif [ "$t" = from_akn ]; then
    seeds+=(fuzz/corpus_seeds/xml)
    dict=fuzz/xml.dict
  else
    # structure-aware: the inputs are the choices fuzz/pdf_shapes.py composes a PDF from,
    # so no seed files and no dictionary; -max_len bounds the choices, not the PDF
    dict=""
  fi
  echo "== fuzzing $t for $what (work: $work/$t)"
  set +e
  opts=()
  [ -n "$dict" ] && opts+=(-dict="$dict")
  [ "$t" = parse_pdf ] && opts+=(-max_len=512 -len_control=0)
  "$PY" "fuzz/fuzz_${t}.py" "$work/$t/corpus" ${seeds[@]+"${seeds[@]}"} ${opts[@]+"${opts[@]}"} \
    "${budget[@]}" -artifact_prefix="$work/$t/artifacts/" "${common[@]}" \
    ${extra[@]+"${extra[@]}"} 2>"$work/$t/log"
  rc=$?
  set -e
  tail -n 12 "$work/$t/log"
  if [ $rc -ne 0 ]; then
    status=1
    echo "!! $t crashed (exit $rc); inputs kept in $work/$t/artifacts/:"
    ls -l "$work/$t/artifacts/"
    echo "!! reproduce: $PY fuzz/fuzz_${t}.py $work/$t/artifacts/<file>"
    echo "!! then minimise it (fuzz/run.sh --minimize FILE --target $t) and keep it in"
    echo "!! tests/regressions/ (see tests/regressions/README.md)"
  fi
done
exit $status
