#!/usr/bin/env bash
# Fuzzes the core with libFuzzer (issue 8): builds the `fuzz` preset, seeds the corpora from
# tests/fixtures, runs each target for N seconds and reports executions, exec/s and crashes.
# Usage: scripts/fuzz.sh [SECONDS_PER_TARGET]      default 60; the short run in scripts/test.sh
#        scripts/fuzz.sh --long HOURS_OR_SECONDS   e.g. --long 8h or --long 28800, per target
#        FUZZ_TARGETS="sse_decoder validator" scripts/fuzz.sh 30     a subset of the targets
#        scripts/fuzz.sh --ubsan-only --long 600   without ASan (build/fuzz-ubsan): many more execs
# Each target first replays its inputs from tests/fixtures/fuzz-regressions. Exits non-zero when a
# target crashed (ASan/UBSan report, leak, timeout, OOM or a broken invariant); the input is
# kept in build/fuzz/artifacts/. Replay one with
#   build/fuzz/fuzz_<target> build/fuzz/artifacts/<file>
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

usage() {
  echo "usage: scripts/fuzz.sh [--ubsan-only] [SECONDS_PER_TARGET | --long HOURS_OR_SECONDS (e.g. 8h)]" >&2
  exit 2
}

seconds=60
build=build/fuzz
configure=(--preset fuzz)
sanitizers=address,undefined
if [[ "${1:-}" == "--ubsan-only" ]]; then
  build=build/fuzz-ubsan
  sanitizers=undefined
  configure=(--preset fuzz -B "$build" -DLLMBASE_FUZZ_UBSAN_ONLY=ON)
  shift
fi
if [[ "${1:-}" == "--long" ]]; then
  arg=${2:-}
  if [[ $arg =~ ^([0-9]+)h$ ]]; then
    seconds=$((BASH_REMATCH[1] * 3600))
  elif [[ $arg =~ ^[0-9]+$ ]]; then
    seconds=$arg
  else
    usage
  fi
elif [[ $# -gt 0 ]]; then
  [[ $1 =~ ^[0-9]+$ ]] || usage
  seconds=$1
fi
((seconds > 0)) || usage

read -r -a targets <<<"${FUZZ_TARGETS:-sse_decoder chat_stream chunk_fold metadata validator json_schema}"

if ! command -v clang++ >/dev/null; then
  echo "fuzz: clang++ not found; Debian: apt-get install -y clang libclang-rt-14-dev" >&2
  exit 1
fi
echo "fuzz: building $build (clang++, -fsanitize=fuzzer,$sanitizers)"
mkdir -p "$build"/artifacts "$build"/logs
build_log="$build/logs/build.log"
if ! { cmake "${configure[@]}" && cmake --build "$build" --target fuzz -j"$(nproc)"; } >"$build_log" 2>&1; then
  tail -20 "$build_log" >&2
  echo "fuzz: build failed, see $build_log (libFuzzer: apt-get install -y libclang-rt-14-dev)" >&2
  exit 1
fi
"$build"/llmbase-fuzz-seeds tests/fixtures "$build"/seeds || exit 1

# Every report aborts (UBSan is built without recovery); stack traces make the logs useful.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:detect_stack_use_after_return=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1}"

crashed=()
total_execs=0
for t in "${targets[@]}"; do
  bin="$build/fuzz_$t"
  [[ -x $bin ]] || { echo "fuzz: no target $t ($bin)" >&2; exit 2; }
  mkdir -p "$build/corpus/$t"
  log="$build/logs/$t.log"
  # Inputs that once broke the core (tests/fixtures/fuzz-regressions) are replayed first.
  regressions=(tests/fixtures/fuzz-regressions/"$t"-*.bin)
  replay_log="$build/logs/$t.regressions.log"
  if [[ -e ${regressions[0]} ]] &&
    ! "$bin" -rss_limit_mb=2048 -timeout=10 "${regressions[@]}" >"$replay_log" 2>&1; then
    printf 'fuzz: %-12s CRASHED on a regression input: see %s\n' "$t" "$replay_log"
    crashed+=("$t")
    continue
  fi
  dict=()
  [[ -f tests/fuzz/$t.dict ]] && dict=(-dict="tests/fuzz/$t.dict")
  # The first directory collects the inputs that add coverage and is kept between runs.
  "$bin" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -max_len=65536 \
    -print_final_stats=1 -artifact_prefix="$build/artifacts/$t-" "${dict[@]}" \
    "$build/corpus/$t" "$build/seeds/$t" >"$log" 2>&1
  rc=$?
  execs=$(awk '/^stat::number_of_executed_units:/ {print $2}' "$log" | tail -1)
  rate=$(awk '/^stat::average_exec_per_sec:/ {print $2}' "$log" | tail -1)
  total_execs=$((total_execs + ${execs:-0}))
  if ((rc == 0)); then
    printf 'fuzz: %-12s %10s execs %7s exec/s  ok\n' "$t" "${execs:-?}" "${rate:-?}"
    continue
  fi
  what="crash"
  grep -q 'ERROR: libFuzzer: timeout' "$log" && what="timeout"
  grep -q 'out-of-memory' "$log" && what="out of memory"
  grep -q 'LeakSanitizer' "$log" && what="leak"
  grep -q 'runtime error:' "$log" && what="undefined behaviour"
  if grep -q 'ERROR: AddressSanitizer' "$log"; then
    what=$(grep -o 'AddressSanitizer: [a-z-]*' "$log" | head -1)
  fi
  grep -q 'fuzz invariant failed' "$log" && what="broken invariant"
  artifact=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -1)
  printf 'fuzz: %-12s %10s execs %7s exec/s  CRASHED (%s, exit %d): %s\n' \
    "$t" "${execs:-?}" "${rate:-?}" "$what" "$rc" "${artifact:-see $log}"
  grep -m1 -E 'fuzz invariant|runtime error:|ERROR: (Address|Leak)Sanitizer|ERROR: libFuzzer' \
    "$log" | sed 's/^/fuzz:     /'
  crashed+=("$t")
done

echo "fuzz: ${#targets[@]} targets x ${seconds} s, $total_execs executions; logs in $build/logs/"
if ((${#crashed[@]})); then
  echo "fuzz: FAILED, crashed: ${crashed[*]} (inputs in $build/artifacts/)" >&2
  exit 1
fi
echo "fuzz: no crash"
