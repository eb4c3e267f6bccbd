#!/usr/bin/env bats
# Every input a fuzzer ever crashed on (tests/fuzz/regress/HARNESS/*) replayed through its harness,
# built with the normal compiler and a plain main (tests/fuzz/replay.cpp) by `make`, so no clang
# is needed; `make test-sanitize` replays them through the ASan+UBSan build (MTKFW_REPLAY).

load test_helper

setup() {
  REPLAY=${MTKFW_REPLAY:-$MTKFW_ROOT/build/replay}
}

@test "every harness has a replay binary and the seeds of a clean run go through it" {
  local n=0
  for src in "$MTKFW_ROOT"/tests/fuzz/fuzz_*.cpp; do
    h=$(basename "$src" .cpp)
    assert_file_executable "$REPLAY/$h"
    n=$((n + 1))
  done
  [ "$n" -ge 6 ]
  # A few inputs per harness that must pass: the replay binary works, and it fails loudly on a
  # file it cannot read.
  printf '4KiB' > "$BATS_TEST_TMPDIR/n"
  run "$REPLAY/fuzz_number" "$BATS_TEST_TMPDIR/n"
  assert_success
  assert_output --partial "ok $BATS_TEST_TMPDIR/n (4 bytes)"
  run "$REPLAY/fuzz_number" "$BATS_TEST_TMPDIR/missing"
  assert_failure 3
}

@test "every regression input under tests/fuzz/regress replays without a crash" {
  local n=0
  for dir in "$MTKFW_ROOT"/tests/fuzz/regress/*/; do
    [ -d "$dir" ] || continue
    h=$(basename "$dir")
    assert_file_executable "$REPLAY/$h"
    for f in "$dir"*; do
      run "$REPLAY/$h" "$f"
      [ "$status" -eq 0 ] || { echo "$h crashed on $f:"; echo "$output"; false; }
      n=$((n + 1))
    done
  done
  [ "$n" -gt 0 ] || skip "no regression inputs yet"
}
