#!/usr/bin/env bats
# scripts/mksample: large samples (partitions past 4 GiB) and one voice on stderr.

load test_helper

# every_line_starts PREFIX TEXT: fails naming the first line of TEXT that does not start with PREFIX.
every_line_starts() {
  local line
  while IFS= read -r line; do
    [[ $line == "$1"* ]] || fail "a line without '$1': '$line'"
  done <<<"$2"
}

@test "--system-size 4096 builds a sparse sample whose GPT and file systems past 4 GiB check" {
  cd "$BATS_TEST_TMPDIR"
  free_kib=$(df -Pk . | awk 'NR == 2 {print $4}')
  [ "$free_kib" -ge $(( 6 * 1024 * 1024 )) ] || skip "needs ~6 GB free in $PWD (has $(( free_kib / 1024 )) MiB)"
  start=$SECONDS
  run --separate-stderr mksample --system-size 4096 big
  assert_success
  took=$(( SECONDS - start ))
  every_line_starts "mksample: " "$stderr"
  # Sparse: 4.5 GB apparent, a few hundred MiB at most on disk; made in seconds, not minutes.
  apparent=$(stat -c %s big/User)
  [ "$apparent" -gt $(( 4500 * 1024 * 1024 )) ] || fail "User is only $apparent bytes"
  [ "$(du -k big/User | cut -f1)" -lt $(( 512 * 1024 )) ] || fail "User is not sparse: $(du -h big/User)"
  [ "$took" -lt 120 ] || fail "took ${took}s"
  run gpt-list --tsv big/User
  assert_success
  # Every ext4 partition (cache and userdata start past 4 GiB) passes e2fsck, each with its own UUID.
  uuids=()
  while IFS=$'\t' read -r _ name start _ content _; do
    [ "$content" = ext4 ] || continue
    run e2fsck -fn "big/User?offset=$start"
    assert_success
    uuids+=("$(dumpe2fs -h "big/User?offset=$start" 2>/dev/null | awk '/^Filesystem UUID:/ {print $3}')")
  done < <(gpt-list --tsv big/User 2>/dev/null | awk -F'\t' 'NR > 2')
  [ "${#uuids[@]}" -eq 5 ] || fail "expected 5 ext4 partitions, found ${#uuids[@]}"
  [ "$(printf '%s\n' "${uuids[@]}" | sort -u | wc -l)" -eq 5 ] || fail "UUIDs repeat: ${uuids[*]}"
}

@test "a failing tool's output is shown prefixed with mksample:, and the run fails" {
  mkdir -p "$BATS_TEST_TMPDIR/fake"
  printf '#!/bin/sh\necho "mke2fs: Could not parse UUID: nonsense" >&2\nexit 1\n' > "$BATS_TEST_TMPDIR/fake/mke2fs"
  chmod +x "$BATS_TEST_TMPDIR/fake/mke2fs"
  cd "$BATS_TEST_TMPDIR"
  PATH="$BATS_TEST_TMPDIR/fake:$PATH" run --separate-stderr mksample s
  assert_failure 1
  every_line_starts "mksample: " "$stderr"
  [[ $stderr == *"mksample: error: the protect1 file system: mke2fs failed (exit 1)"* ]] || fail "$stderr"
  [[ $stderr == *"mksample:   mke2fs: Could not parse UUID: nonsense"* ]] || fail "$stderr"
  assert_file_not_exists s/User
}
