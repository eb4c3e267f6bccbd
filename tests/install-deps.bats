#!/usr/bin/env bats
# scripts/install-deps: packages by group, each make target asking for its own, and a way
# forward without root.  dpkg-query, apt-get, id and sudo are stubs on a PATH that holds
# nothing else (install-deps uses only builtins besides them); apt-get and sudo log their calls.

load test_helper

setup() {
  stubs=$BATS_TEST_TMPDIR/stubs log=$BATS_TEST_TMPDIR/calls
  mkdir -p "$stubs"
  ln -s "$(command -v bash)" "$stubs/bash"
  # dpkg-query -W -f=FORMAT PKG...: the packages in $INSTALLED are installed, the rest are not.
  stub dpkg-query 'shift 2; for p; do
    if [[ " $INSTALLED " == *" $p "* ]]; then echo "$p install ok installed"; else echo "$p unknown ok not-installed"; fi
  done'
  stub id 'echo "$FAKE_UID"'
  stub apt-get 'echo "apt-get $*" >> "$LOG"'
  export LOG=$log INSTALLED="" FAKE_UID=1000
}

stub() {  # NAME BODY
  printf '#!/usr/bin/env bash\n%s\n' "$2" > "$stubs/$1"
  chmod +x "$stubs/$1"
}
install_deps() { run --separate-stderr env PATH="$stubs" "$MTKFW_ROOT/scripts/install-deps" "$@"; }

@test "as non-root without sudo: names the group's missing packages and the command, exit 1" {
  INSTALLED="e2fsprogs openssl"
  install_deps demo
  assert_failure 1
  [ "${#stderr_lines[@]}" -eq 2 ] || fail "$stderr"
  assert_equal "${stderr_lines[0]}" "install-deps: error: missing packages for demo: gdisk mkbootimg xxd procps: installing them needs root, and sudo is not installed"
  assert_equal "${stderr_lines[1]}" "install-deps: hint: as root, run: apt-get update && apt-get install -y --no-install-recommends gdisk mkbootimg xxd procps"
  assert_file_not_exists "$log"
}

@test "as root: apt-get installs exactly the missing packages of the groups asked for" {
  FAKE_UID=0 INSTALLED="g++ make gdisk"
  install_deps build demo
  assert_success
  run cat "$log"
  assert_line --index 0 "apt-get update -qq"
  assert_line --index 1 "apt-get install -y -qq --no-install-recommends pkg-config libboost-program-options-dev libxxhash-dev libssl-dev zlib1g-dev liblz4-dev e2fsprogs mkbootimg openssl xxd procps"
  # Nothing of the test, bench or fuzz groups.
  refute_output --partial bats
  refute_output --partial clang
}

@test "nothing missing: no apt-get, exit 0; with sudo as non-root: apt-get through sudo" {
  INSTALLED=$(PATH=$stubs "$MTKFW_ROOT/scripts/install-deps" --list demo | tr '\n' ' ')
  install_deps demo
  assert_success
  assert_file_not_exists "$log"
  stub sudo 'echo "sudo $1" >> "$LOG"; "$@"'
  INSTALLED=""
  install_deps fuzz
  assert_success
  run cat "$log"
  assert_line "sudo apt-get"
  assert_line "apt-get install -y -qq --no-install-recommends clang libclang-rt-14-dev android-sdk-libsparse-utils python3 erofs-utils f2fs-tools"
}

@test "an unknown group is a usage error naming the groups" {
  install_deps demo nosuch
  assert_failure 2
  assert_equal "$stderr" "install-deps: error: unknown group 'nosuch' (groups: build demo test bench fuzz)"
}

@test "each make target asks for its own groups" {
  for row in "demo:build demo" "test:build demo test" "test-sanitize:build demo test" \
             "bench:build demo bench" "fuzz:build demo fuzz"; do
    run make -C "$MTKFW_ROOT" --no-print-directory -n "${row%%:*}"
    assert_success
    assert_line "scripts/install-deps ${row#*:}"
  done
}

# The other way round from the stubs: every program the demo really runs (strace) comes from a
# package of the build and demo groups, from an Essential or required package, or from what one of
# those depends on (mkbootimg's python3).
@test "the demo group covers every program mksample and readback2fw run" {
  command -v strace >/dev/null || skip "strace is not installed (scripts/install-deps test)"
  # LeakSanitizer refuses to run under ptrace: the sanitizer build's filters would fail here.
  [ -z "${MTKFW_BIN:-}" ] || skip "MTKFW_BIN is set (sanitizer build): strace checks the plain build"
  cd "$BATS_TEST_TMPDIR"
  run strace -f -qq -e trace=execve -e signal=none -o trace.txt bash -c \
    'mksample --system-size 24 --userdata-size 24 --system-data 4 s && readback2fw -q --boot2 s/Boot2 s/Boot1 s/User fw'
  assert_success
  wanted=" $("$MTKFW_ROOT/scripts/install-deps" --list build demo | tr '\n' ' ') "
  deps=$(dpkg-query -W -f='${Depends}\n' $wanted 2>/dev/null | tr ',|' '\n\n' | awk '{print $1}' | sort -u | tr '\n' ' ')
  checked=0
  for prog in $(grep -v ENOENT trace.txt | sed -n 's/.*execve("\([^"]*\)".*/\1/p' | sort -u); do
    real=$(readlink -f "$prog")
    case $real in /usr/*|/bin/*|/sbin/*) ;; *) continue ;; esac   # ours, or not from a package
    owner=$(dpkg -S "$real" 2>/dev/null || dpkg -S "${real#/usr}" 2>/dev/null) || fail "$real: no package owns it"
    pkg=${owner%%:*}
    checked=$(( checked + 1 ))
    [[ $wanted == *" $pkg "* || " $deps " == *" $pkg "* ]] && continue
    run dpkg-query -W -f='${Essential} ${Priority}' "$pkg"
    [[ $output == yes* || $output == *required ]] || fail "$real comes from $pkg, in no group of 'install-deps build demo' ($output)"
  done
  [ "$checked" -gt 10 ] || fail "only $checked programs seen: $(head -c 2000 trace.txt)"
}
