#!/usr/bin/env bats
# readback2fw's Checksum.ini comes from the proofs' own read of each image (from the pipe of
# fw-checksum --record --copy): the values equal what fw-checksum and md5sum read from the
# folder, no image is read after its proof, --check-checksums adds fw-checksum -c, and the
# report says which ran.

load test_helper

setup_file() { make_pipeline_sample; }
setup() { enter_pipeline_test; }

# The images a scatter downloads (the files Checksum.ini has lines for), one per line.
downloaded_files() {  # SCATTER
  scatter-gen --list "$1" | awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
    $c["is_download"] == "true" && $c["file_name"] != "NONE" && !seen[$c["file_name"]]++ { print $c["file_name"] }'
}

@test "Checksum.ini equals fw-checksum's and md5sum's read of the folder; fw-checksum -c passes" {
  readback2fw -q --md5 "$SAMPLE/Boot1" "$SAMPLE/User" out
  fw-checksum --md5 out/MT6752_Android_scatter.txt > read.ini
  diff <(grep -v '^Change_ID' read.ini) <(grep -v '^Change_ID' out/Checksum.ini)
  (cd out && fw-checksum -c Checksum.ini) > check.out
  [ "$(grep -c ': OK$' check.out)" -ge 10 ]
  # One MD5 by the oracle: [CheckSum_V2]'s boot value is md5sum's.
  want=$(md5sum < out/boot.img | cut -c1-32 | tr a-f A-F | sed 's/\(.\{8\}\)/\1-/g; s/-$//')
  grep -q "^boot=$want"$'\r$' out/Checksum.ini
  grep -q "Checksum.ini: each value taken of the image's bytes as its proof read them" out/report.txt
  grep -q "fw-checksum -c not run: --check-checksums" out/report.txt
}

@test "no output is read back twice: each image's proof reads it, the table and the scatter once (strace)" {
  # The sanitizer build's binaries fail under ptrace (LeakSanitizer): the plain build is traced.
  [ -z "${MTKFW_BIN:-}" ] || skip "MTKFW_BIN is set (sanitizer build): strace checks the plain build"
  # One trace file per process (-ff: no call split across lines), each descriptor with its path (-y).
  strace -ff -qq -y -e trace=read,pread64 -o trace readback2fw -q "$SAMPLE/Boot1" "$SAMPLE/User" out
  # Bytes read per output (the bench's io-by-file: "read mapped written path"), under its final
  # name (staged as .NAME.tmp in the stage folder).
  "$MTKFW_ROOT/tests/bench/io-by-file" trace.* | awk '$4 ~ /\/out\// {
      p = $4; sub(/.*\/out\//, "", p); sub(/^\.readback2fw-stage[^\/]*\//, "", p); sub(/^\./, "", p); sub(/\.tmp$/, "", p)
      bytes[p] += $1 }
    END { for (p in bytes) if (bytes[p]) print p, bytes[p] }' > read-back
  mapfile -t files < <(downloaded_files out/MT6752_Android_scatter.txt)
  [ "${#files[@]}" -ge 10 ]
  sparse=0
  for f in "${files[@]}"; do
    size=$(stat -c %s "out/$f")
    read=$(awk -v f="$f" '$1 == f { print $2 }' read-back)
    if [ "$(head -c 4 "out/$f" | od -An -tx4 | tr -d ' ')" = ed26ff3a ]; then
      # Proven by ext4-sparse --verify, which maps the file: read() sees only what is not mapped.
      [ "${read:-0}" -le "$size" ] || { echo "$f: $size bytes, $read read back"; false; }
      sparse=$((sparse + 1))
    else   # raw images and the preloader: read whole by their proof, and by nothing else
      [ "${read:-0}" = "$size" ] || { echo "$f: $size bytes, $read read back"; cat read-back; false; }
    fi
  done
  [ "$sparse" -ge 3 ]
  # The plan files: asked from memory; the table read once (into it), the scatter once (by
  # fw-checksum); the report and Checksum.ini never.
  for f in partitions.tsv MT6752_Android_scatter.txt; do
    read=$(awk -v f="$f" '$1 == f { print $2 }' read-back)
    [ "${read:-0}" = "$(stat -c %s "out/$f")" ] || { echo "$f: $(stat -c %s "out/$f") bytes, ${read:-0} read back"; false; }
  done
  ! grep -E '^(report\.txt|Checksum\.ini|partitions\.json) ' read-back
}

@test "--check-checksums: fw-checksum -c reads the images once more, and the report says it passed" {
  readback2fw -q --check-checksums "$SAMPLE/Boot1" "$SAMPLE/User" out
  grep -q "and fw-checksum -c passes: every image read once more against it (--check-checksums)" out/report.txt
  # It runs: a fw-checksum that fails -c fails the run, in readback2fw's words.
  fake_tool fw-checksum 'for a; do [ "$a" != -c ] || exit 1; done; exec "'"$MTKFW_ROOT"'/bin/fw-checksum" "$@"'
  MTKFW_BIN=$PWD/fakebin run readback2fw -q --check-checksums "$SAMPLE/Boot1" "$SAMPLE/User" out2
  assert_failure 1
  assert_output --partial "readback2fw: error: Checksum.ini: fw-checksum -c does not pass"
  [ ! -e out2 ] || [ -z "$(ls -A out2)" ]
}

@test "a sparse image with bytes after its last chunk: its record, and so Checksum.ini, sums the whole file" {
  # ext4-sparse writes the image, then 1 MiB more; --verify maps the file and reads those too.
  fake_tool ext4-sparse '
o=; prev=; verify=0
for a; do [ "$prev" != -o ] || o=$a; [ "$a" != --verify ] || verify=1; prev=$a; done
"'"$MTKFW_ROOT"'/bin/ext4-sparse" "$@" || exit
[ "$verify" = 1 ] || [ -z "$o" ] || head -c 1048576 /dev/urandom >> "$o"'
  MTKFW_BIN=$PWD/fakebin readback2fw -q --md5 "$SAMPLE/Boot1" "$SAMPLE/User" out
  # The extra MiB is in the files (libsparse and so the flasher ignore it; SP Flash Tool sums it).
  [ $(( $(stat -c %s out/system.img) % 4096 )) -ne 0 ] || [ "$(tail -c 1048576 out/system.img | md5sum)" != "$(head -c 1048576 /dev/zero | md5sum)" ]
  # The record covers every byte, as SP Flash Tool sums the file: equal to a read of the folder.
  fw-checksum --md5 out/MT6752_Android_scatter.txt > read.ini
  diff <(grep -v '^Change_ID' read.ini) <(grep -v '^Change_ID' out/Checksum.ini)
}

@test "readback.mk: images made before MD5=1 have no MD5 in their records: fw-checksum reads them, and the report says so" {
  make -s -f "$MTKFW_ROOT/scripts/readback.mk" BOOT1="$SAMPLE/Boot1" USER="$SAMPLE/User" OUT=fw -j2 > /dev/null
  grep -q "each value taken of the image's bytes as its proof read them" fw/report.txt
  make -s -f "$MTKFW_ROOT/scripts/readback.mk" BOOT1="$SAMPLE/Boot1" USER="$SAMPLE/User" OUT=fw MD5=1 -j2 > /dev/null
  grep -q "Checksum.ini: fw-checksum read every image for its values" fw/report.txt
  grep -q '^\[CheckSum_V2\]' fw/Checksum.ini
  (cd fw && fw-checksum -c Checksum.ini) > check.out
  ! grep -q FAILED check.out
}
