#!/usr/bin/env bats
# bin/ after make, and PREFIX after make install: the scripts run from there, beside the filters,
# under names that are not generic.

load test_helper

setup() {
  [ -z "${MTKFW_BIN:-}" ] || skip "MTKFW_BIN is set (sanitizer build): this checks the plain build's bin/"
  make -C "$MTKFW_ROOT" -q all || skip "the build is not up to date (run make)"
  cd "$BATS_TEST_TMPDIR"
}

# The system's PATH only: nothing of the tree's bin/ or scripts/.
system_path=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

# runs_from DIR: DIR's mtkfw-mksample makes a sample, DIR's readback2fw a firmware of it that checks.
runs_from() {
  assert_file_executable "$1/readback2fw"
  assert_file_executable "$1/mtkfw-mksample"
  assert_file_not_exists "$1/mksample"
  PATH=$system_path run --separate-stderr "$1/mtkfw-mksample" --system-size 24 --userdata-size 24 --system-data 4 s
  assert_success
  [[ $stderr == "mtkfw-mksample: sample readback in s: "* ]] || fail "$stderr"
  PATH=$system_path run --separate-stderr "$1/readback2fw" -q s/Boot1 s/User fw
  assert_success
  PATH=$system_path run "$1/fw-checksum" -c fw/Checksum.ini fw/MT6752_Android_scatter.txt
  assert_success
}

@test "make puts readback2fw and mtkfw-mksample in bin/, and they run from there" {
  runs_from "$MTKFW_ROOT/bin"
}

@test "make install PREFIX DESTDIR: readback2fw and mtkfw-mksample run from there; uninstall removes all" {
  dest=$BATS_TEST_TMPDIR/dest prefix=/tmp/p
  run make -C "$MTKFW_ROOT" --no-print-directory install PREFIX=$prefix DESTDIR="$dest"
  assert_success
  root=$dest$prefix
  assert_file_exists "$root/share/mtkfw/readback-steps.bash"
  run bash -c "MANWIDTH=80 man -l '$root/share/man/man1/mtkfw-mksample.1' | sed -n '/^NAME/{n;p}'"
  assert_output --regexp '^ +mtkfw-mksample +- '
  assert_file_not_exists "$root/share/man/man1/mksample.1"
  runs_from "$root/bin"

  run make -C "$MTKFW_ROOT" --no-print-directory uninstall PREFIX=$prefix DESTDIR="$dest"
  assert_success
  run find "$dest" -type f
  assert_output ""
}
