#!/usr/bin/env bats
# The scatter parser and writer (common/format/scatter.h) on every stock sample in
# ../shared/reference/scatter/: text and XML, V1.1.1 to V2.1.0, LF and CRLF, read and written back
# byte for byte; the XML read against Python's xml.etree (an independent XML reader).

load test_helper

REF=$(reference_dir || echo /nonexistent)/scatter
P325A=$REF/MT6768_Android_scatter__moto_p325a_V1.1.8_ab
BILOBA=$REF/MT6768_Android_scatter__biloba_V1.1.8_ab.txt
MT6833=$REF/MT6833_Android_scatter__oppo_V2.1.0_emmc_ufs.txt

setup() {
  [ -d "$REF" ] || skip "reference samples not found (../shared/reference/scatter; set MTKFW_REFERENCE)"
  cd "$BATS_TEST_TMPDIR"
}

@test "every stock scatter, text and XML, is written back byte for byte" {
  local n=0 f
  for f in "$REF"/*.txt "$REF"/*.xml; do
    case $(basename "$f") in
      *_ota_scatter__*)  # "name start" lists of the MT6752 builds, not scatter files: refused at once
        run scatter-gen --reformat "$f"
        assert_failure 1
        assert_output --partial "line 1: expected 'key: value'"
        continue ;;
    esac
    scatter-gen --reformat "$f" -o out
    cmp out "$f"
    n=$((n + 1))
  done
  # the 12 samples of SOURCES.md (V1.1.1, V1.1.2 14/15/16 keys, V1.1.8 txt+xml, V2.1.0 16/17 keys)
  [ "$n" -ge 12 ]
}

@test "XML: the p325a XML and its text twin hold the same rows" {
  [ -f "$P325A.xml" ] || skip "p325a sample not found"
  scatter-gen --list "$P325A.txt" > txt.list
  scatter-gen --list "$P325A.xml" > xml.list
  [ "$(wc -l < xml.list)" -eq 58 ]
  diff txt.list xml.list
}

@test "XML: our reader sees what Python's xml.etree sees" {
  [ -f "$P325A.xml" ] || skip "p325a sample not found"
  command -v python3 >/dev/null || skip "no python3"
  python3 - "$P325A.xml" > etree.list <<'PY'
import sys, xml.etree.ElementTree as ET
keys = ["partition_name", "file_name", "is_download", "type", "linear_start_addr", "physical_start_addr",
        "partition_size", "region", "storage", "boundary_check", "is_reserved", "operation_type",
        "is_upgradable", "empty_boot_needed", "combo_partsize_check"]
for p in ET.parse(sys.argv[1]).getroot().iter("partition_index"):
    print("\t".join([p.get("name")] + [(p.findtext(k) or "").strip() for k in keys]))
PY
  [ "$(wc -l < etree.list)" -eq 57 ]
  diff <(scatter-gen --list "$P325A.xml" | tail -n +2 | cut -f2-) etree.list
}

@test "list: is_upgradable, empty_boot_needed, combo_partsize_check columns, empty when absent" {
  [ -f "$MT6833" ] || skip "MT6833 sample not found"
  scatter-gen --list "$MT6833" > list
  assert_equal "$(head -1 list | cut -f15-)" $'is_upgradable\tempty_boot_needed\tcombo_partsize_check'
  # the three keys of each row as awk reads them from the file
  awk '/partition_index:/ {if (row) print row; u = e = c = ""; row = 1}
       {sub(/\r$/, "")}
       /^ *is_upgradable:/ {u = $2} /^ *empty_boot_needed:/ {e = $2} /^ *combo_partsize_check:/ {c = $2}
       /^ *reserve:/ {print u "\t" e "\t" c; row = 0}' "$MT6833" > keys
  diff <(tail -n +2 list | cut -f15-) keys
  grep -q $'\tfalse$' keys
  # a 14-key V1.1.2 file: the three columns are empty
  f=$REF/MT6752_Android_scatter__elephone_p6000_k01q_e__RECONSTRUCTED.txt
  [ -z "$(scatter-gen --list "$f" | tail -n +2 | cut -f15- | tr -d '\t\n')" ]
}

@test "line ends: LF and CRLF files round trip in their own ending; a mixed file takes its first line's" {
  [ -f "$BILOBA" ] || skip "biloba sample not found"
  # LF -> CRLF (p325a ends with a blank line, kept)
  sed 's/$/\r/' "$P325A.txt" > crlf.txt
  scatter-gen --reformat crlf.txt | cmp - crlf.txt
  diff <(scatter-gen --list crlf.txt) <(scatter-gen --list "$P325A.txt")
  # CRLF -> LF (biloba ends without one, kept)
  tr -d '\r' < "$BILOBA" > lf.txt
  scatter-gen --reformat lf.txt | cmp - lf.txt
  [ "$(tail -c 14 lf.txt | od -An -c | tr -s ' ')" = " r e s e r v e : 0 x 0 0 \n" ]
  # half CRLF, half LF: written back CRLF throughout
  { head -n 500 "$BILOBA"; tail -n +501 lf.txt; } > mixed.txt
  scatter-gen --reformat mixed.txt | cmp - "$BILOBA"
  # the XML sample in CRLF
  sed 's/$/\r/' "$P325A.xml" > crlf.xml
  scatter-gen --reformat crlf.xml | cmp - crlf.xml
}

# refused_as FILE MESSAGE...: scatter-gen --list refuses FILE, saying each MESSAGE.
refused_as() {
  run scatter-gen --list "$1"
  assert_failure 1
  shift
  local m
  for m in "$@"; do assert_output --partial "$m"; done
}

@test "XML: malformed files are refused with the line" {
  [ -f "$P325A.xml" ] || skip "p325a sample not found"
  local x=$P325A.xml n
  n=$(grep -n '</region>' "$x" | sed -n 3p | cut -d: -f1)
  sed "${n}s|</region>|</regoin>|" "$x" > bad.xml
  refused_as bad.xml "bad.xml: line $n: XML: </regoin> closes <region> of line $n"
  n=$(grep -n '<type>' "$x" | sed -n 7p | cut -d: -f1)
  sed "${n}s|<type>|<type>\&|" "$x" > bad.xml
  refused_as bad.xml "bad.xml: line $n: XML: '&' that starts no entity"
  head -n 500 "$x" > cut.xml
  n=$(head -n 500 "$x" | grep -n '<partition_index' | tail -1 | cut -d: -f1)
  refused_as cut.xml "cut.xml: line 500: XML: the file ends inside <partition_index> of line $n"
  n=$(grep -n '<is_download>false' "$x" | sed -n 2p | cut -d: -f1)
  sed "${n}s|<is_download>false|<is_download>no|" "$x" > bad.xml
  refused_as bad.xml "bad.xml: line $n: is_download: expected true or false, got 'no'"
  # the text twin's own key: a row without reserve names its start line
  n=$(grep -n '<reserve>' "$x" | sed -n 4p | cut -d: -f1)
  sed "${n}d" "$x" > bad.xml
  run scatter-gen --list bad.xml
  assert_failure 1
  assert_output --regexp "bad.xml: partition SYS3 \(.*, line [0-9]+\) has no reserve"
}

@test "V2.1.0: both sections written back, each with its own tail encoding" {
  [ -f "$MT6833" ] || skip "MT6833 sample not found"
  scatter-gen --reformat "$MT6833" -o out.txt
  cmp out.txt "$MT6833"
  scatter-gen --list out.txt > list
  assert_equal "$(awk -F'\t' '$3 == "flashinfo" {print $1, $7}' list | tr '\n' ' ')" "EMMC 0xFFFF0080 UFS 0xFFFF0020 "
}
