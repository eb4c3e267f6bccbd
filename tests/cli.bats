#!/usr/bin/env bats
# Conventions every tool shares (CLI.md): --help, --version, man pages, usage errors.

load test_helper

tools() { for t in "$MTKFW_ROOT"/filters/*.cpp; do basename "$t" .cpp; done; }

@test "every tool answers --help and --version with exit 0" {
  for t in $(tools); do
    run "$t" --help
    assert_success
    assert_output --partial "Usage: $t"
    assert_output --partial "Exit status:"
    run "$t" --version
    assert_success
    assert_output --regexp "^$t \(mtkfw\) [0-9]+\.[0-9]+\.[0-9]+$"
  done
}

@test "every tool and script has a man page that renders without warnings" {
  for t in $(tools) $(ls "$MTKFW_ROOT/scripts" | grep -v -e install-deps -e run-tests -e '\.mk$' -e '\.bash$'); do
    page="$MTKFW_ROOT/man/$t.1"
    assert_file_exists "$page"
    run bash -c "MANWIDTH=80 man --warnings -l '$page' 2>&1 >/dev/null"
    assert_output ""
    run bash -c "MANWIDTH=80 man -l '$page'"
    assert_output --partial "EXIT STATUS"
    assert_output --partial "EXAMPLES"
  done
}

@test "an unknown option is a usage error (exit 2) naming --help" {
  for t in $(tools); do
    run --separate-stderr "$t" --no-such-option
    assert_failure 2
    [[ "$stderr" == "$t: error: "*"--help"* ]]
  done
}
