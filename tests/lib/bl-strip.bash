# Synthetic BOOT1 readbacks for the bl-strip suites, built from the layout in doc/FORMATS.md
# ("Preloader in BOOT1"), never from bl-strip's own code:
#
#   boot1_image BOOT1 PRELOADER [option...]
#
# writes BOOT1 (device header + BRLYT + GFH image + padding, like an SP Flash Tool readback) and
# PRELOADER (the GFH image alone: what bl-strip must write, byte for byte).  Options:
#   --storage emmc|ufs|combo|sdmmc|raw   device header (raw: BOOT1 is the bare GFH image)  [emmc]
#   --no-brlyt          leave the BRLYT out (0xFF instead)
#   --gfh-offset N      put the GFH image at N and say so in the BRLYT      [0x800 / 0x1000]
#   --brlyt-at N        where the BRLYT goes                                 [0x200]
#   --body N            bytes of code after the GFH blocks                   [20000]
#   --tail-ff N         end the code with N bytes of 0xFF (padding look-alike) [0]
#   --sig-type 0|1|3|5  signature: none, SHA-256, version+SHA-256+RSA, cert chain (opaque) [1]
#   --name NAME         the MTK_BLOADER_INFO block's file name; "" leaves the block out [preloader_mtkfw_test.bin]
#   --emi-version NN    MTK_BLOADER_INFO_vNN                                  [20]
#   --gap N             zero bytes between the last GFH block and content_offset [0]
#   --size N            BOOT1 length (0xFF after the image up to --ff-to, then 0x00) [4 MiB; raw: image only]
#   --ff-to N           end of the 0xFF padding                              [GFH offset + 256 KiB]
#   --bad-hash          change one code byte after the signature was computed
#   --file-len N        write N as file_len (and max_size when larger) after building: a lying header
#   --break-chain       make the second GFH block run past content_offset
#   --build-path PATH   a NUL-terminated source path in the code (repeatable), like the __FILE__
#                       strings of a MediaTek build (".../preloader/platform/mt6765/src/...")
# Prints nothing; fails (python traceback) on impossible combinations.
boot1_image() { python3 "$MTKFW_ROOT/tests/lib/boot1-image.py" "$@"; }

# The SHA-256 (hex) of the first N bytes of FILE: an oracle from coreutils, not from bl-strip.
sha256_head() {  # FILE N
  head -c "$2" "$1" | sha256sum | cut -d' ' -f1
}

# The reference samples folder when it holds the preloaders (test_helper's reference_dir).
bl_strip_reference_dir() {
  local d
  d=$(reference_dir) && [ -d "$d/preloader" ] && echo "$d"
}
