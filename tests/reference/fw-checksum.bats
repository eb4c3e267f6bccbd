#!/usr/bin/env bats
# fw-checksum against real files: CheckSum_Gen's Checksum.ini samples ($MTKFW_REFERENCE/checksum,
# see SOURCES.md there) and a real MT6752 scatter ($MTKFW_REFERENCE/scatter).  Run by
# `make test-reference`; skipped when $MTKFW_REFERENCE is not there.  Samples are read in place.

load ../test_helper
source "$MTKFW_ROOT/tests/lib/fw-checksum.bash"

setup() {
  [ -n "${MTKFW_REFERENCE:-}" ] && [ -d "$MTKFW_REFERENCE/checksum" ] && [ -d "$MTKFW_REFERENCE/scatter" ] ||
    skip "no reference samples (MTKFW_REFERENCE=${MTKFW_REFERENCE:-unset})"
  cd "$BATS_TEST_TMPDIR"
}

@test "-c reads every CheckSum_Gen sample: each value comes back in its FAILED/OK line" {
  n=0
  for ini in "$MTKFW_REFERENCE"/checksum/*.ini; do
    rm -rf f && mkdir f
    keys=$(sed -n '/^\[CheckSum\]/,$p' "$ini" | sed 1d | tr -d '\r' | cut -d= -f1)
    rows=()
    for k in $keys; do rows+=("$k:$k.img:true"); : >"f/$k.img"; done
    fwck_scatter f/MT6765_Android_scatter.txt "${rows[@]}"
    # Every image is empty (sum 0x0000): a line is OK exactly when the sample says 0x0000.
    sed -n '/^\[CheckSum\]/,$p' "$ini" | sed 1d | tr -d '\r' |
      awk -F= '{ print $1 ": " ($2 == "0x0000" ? "OK" : "FAILED (expected " $2 ", got 0x0000)") }' >expected
    fw-checksum -c "$ini" f/MT6765_Android_scatter.txt >actual 2>/dev/null && status=0 || status=$?
    [ "$status" -eq 1 ]
    diff expected actual
    [ "$(wc -l <expected)" -ge 20 ]
    n=$((n + 1))
  done
  [ "$n" -eq 3 ]
}

@test "a real MT6752 scatter: one line per downloaded row, in its order (tee1 and tee2 share a file)" {
  ref=$MTKFW_REFERENCE/scatter/MT6752_Android_scatter__elephone_p6000_k01q_e__RECONSTRUCTED.txt
  tr -d '\r' <"$ref" >MT6752_Android_scatter.txt
  awk '/partition_name:/ {n = $2} /file_name:/ {f = $2} /is_download: true/ {print n, f}' \
    MT6752_Android_scatter.txt >rows
  while read -r n f; do printf '%s' "$n" >"$f"; done <rows   # shared files: the last row's name
  fw-checksum MT6752_Android_scatter.txt | tr -d '\r' | sed '1,/^\[CheckSum\]$/d' >actual
  while read -r n f; do
    echo "$n=$(od -An -v -tu1 "$f" | awk '{ for (i = 1; i <= NF; i++) s += $i } END { printf "0x%04X", s % 65536 }')"
  done <rows >expected
  [ "$(wc -l <expected)" -ge 10 ]
  diff expected actual
}
