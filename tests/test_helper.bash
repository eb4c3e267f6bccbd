# Shared setup for every Bats suite: the bats libraries, bin/ on PATH, a scratch folder.
bats_require_minimum_version 1.5.0
bats_load_library bats-support
bats_load_library bats-assert
bats_load_library bats-file

# The repository: the folder above this helper (suites in subfolders load ../test_helper).
MTKFW_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# MTKFW_BIN: the binaries under test (make test-sanitize points it at the sanitizer build).
export PATH="${MTKFW_BIN:-$MTKFW_ROOT/bin}:$MTKFW_ROOT/scripts:$PATH"
export LC_ALL=C

# reference_dir: the folder of real third-party samples (read-only), or nothing (status 1) when
# there is none: $MTKFW_REFERENCE (make test-reference), else ../shared/reference beside the
# checkout or beside its worktree folder.  Only tests that need a real sample read it; they skip
# without it.
reference_dir() {
  local d
  for d in "${MTKFW_REFERENCE:-}" "$MTKFW_ROOT/../shared/reference" "$MTKFW_ROOT/../../shared/reference"; do
    if [ -n "$d" ] && [ -d "$d" ]; then echo "$d"; return 0; fi
  done
  return 1
}

# Fixture builders shared by the suites.
source "$MTKFW_ROOT/tests/fixtures.bash"
# get_byte, set_byte, poke, poke32, le32, flip_byte.
source "$MTKFW_ROOT/tests/lib/bytes.bash"
# partition_range (sfdisk), dd_range (dd).
source "$MTKFW_ROOT/tests/lib/oracles.bash"

# Asserts that no file named like an output (or its temporary) is left in a folder.
assert_no_output_left() {  # DIR NAME
  run bash -c "ls -A '$1' | grep -F -- '$2'"
  assert_failure
}

# A copy of the real tools in fakebin/ (for MTKFW_BIN), with TOOL replaced by a wrapper script.
fake_tool() {  # TOOL 'shell code run before the real tool (args in "$@")'
  mkdir -p fakebin
  for t in "$MTKFW_ROOT"/bin/*; do ln -sf "$t" fakebin/; done
  rm -f "fakebin/$1"
  printf '#!/usr/bin/env bash\n%s\n' "$2" > "fakebin/$1"
  chmod +x "fakebin/$1"
}

# The pipeline suites' sample: a small readback made by mksample as $SAMPLE, once per file; with
# "firmware", readback2fw's folder of it too (with "firmware-boot2", BOOT2 given) as $FW.
make_pipeline_sample() {  # [firmware|firmware-boot2]
  export SAMPLE="$BATS_FILE_TMPDIR/sample"
  mksample --system-size 48 --userdata-size 64 --system-data 8 "$SAMPLE" 2>/dev/null
  case ${1:-} in
    firmware) readback2fw -q "$SAMPLE/Boot1" "$SAMPLE/User" "$BATS_FILE_TMPDIR/fw" ;;
    firmware-boot2) readback2fw -q --boot2 "$SAMPLE/Boot2" "$SAMPLE/Boot1" "$SAMPLE/User" "$BATS_FILE_TMPDIR/fw" ;;
  esac
}

# Each pipeline test in its own folder, the file's firmware folder as $FW.
enter_pipeline_test() {
  cd "$BATS_TEST_TMPDIR"
  FW="$BATS_FILE_TMPDIR/fw"
}
