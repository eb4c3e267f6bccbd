# readback-stamps.bash: readback.mk's bookkeeping, part of readback-steps.bash (which sources
# it): which inputs can be read, which stage files are still the bytes their step proved, and
# publishing the proven files.  Sourced, not run.
# shellcheck disable=SC2153  # BOOT1, OUT, STORAGE, ...: readback-steps.bash's inputs, from the environment

# --- readback.mk's bookkeeping: inputs, proven files, publishing ---------------------------
# readback.mk builds in a stage folder ($OUT of the steps) inside its state folder $MTKFW_STATE
# and links the proven files into the user's folder only when all of them are there.

# An input the steps can read; "missing" told from "not allowed" (test -e says "missing" for
# both when a folder on the way cannot be entered); the shell's message ends in strerror.
input_readable() {  # FILE: 3 when it cannot be read, 1 when it is a folder
  local err
  err=$( { : <"$1"; } 2>&1 ) || { step_die "$1: ${err##*: }"; return 3; }
  [ ! -d "$1" ] || step_die "$1: is a directory"
}

# A path about to be written that is an input (by name, symlink or hard link) would destroy it.
not_an_input() {  # PATH...: fails naming the first PATH that is the same file as BOOT1, USER, BOOT2 or TEMPLATE
  local path dump
  for path; do
    for dump in "$BOOT1" "$USER" ${BOOT2:+"$BOOT2"} ${TEMPLATE:+"$TEMPLATE"}; do
      [ ! "$path" -ef "$dump" ] ||
        { step_die "$path: is the input $dump (the same file): it would be overwritten; move the dump out of the way or give another OUT"; return; }
    done
  done
}

# A proven file's identity.  The change time cannot be set back by a user (touch -r, cp -p can
# only set the modification time): any write, touch, link or replacement shows.
file_identity() {  # FILE
  stat -c '%i %s %.9Y %.9Z' -- "$1" 2>/dev/null
}

stamp_of() {  # FILE: where its identity, taken right after its proof, is kept
  echo "$MTKFW_STATE/proven/${1##*/}"
}

stamp_proven() {  # FILE...: records each FILE as the bytes just proven
  local file
  mkdir -p "$MTKFW_STATE/proven" || return 3
  for file; do file_identity "$file" > "$(stamp_of "$file")" || return 3; done
}

is_proven() {  # FILE: still the file its step proved
  local now was
  now=$(file_identity "$1") || return 1
  read -r was 2>/dev/null < "$(stamp_of "$1")" || return 1
  [ "$now" = "$was" ]
}

unproven() {  # FILE...: prints each FILE that changed (or went) since its step proved it
  local file
  for file; do is_proven "$file" || printf '%s\n' "$file"; done
}

stamps_hold() {  # FILE...: fails naming a FILE that changed since it was proven
  local file
  for file; do
    is_proven "$file" || { step_die "$file: changed since it was checked against the dumps; run make again to make it anew"; return; }
  done
}

# Links each proven stage file NAME into DEST.  DEST stops being a firmware (its scatter goes)
# before its first file changes, and becomes one again only when the scatter, last, is in place.
# The scatter is a copy: taking it out of DEST must not touch the stage's file (removing a link
# changes the change time of the file).
publish_files() {  # DEST SCATTER NAME...
  local dest=$1 scatter=$2 name todo=() last=() relink=()
  shift 2
  for name; do
    stamps_hold "$OUT/$name" || return
    case $name in
      "$scatter") cmp -s -- "$dest/$name" "$OUT/$name" || last+=("$name") ;;
      Checksum.ini) [ "$dest/$name" -ef "$OUT/$name" ] || relink+=("$name") ;;
      *) [ "$dest/$name" -ef "$OUT/$name" ] || todo+=("$name") ;;
    esac
  done
  todo+=("${relink[@]}")   # Checksum.ini after the files it lists
  [ ${#todo[@]} -gt 0 ] || [ ${#last[@]} -gt 0 ] || return 0   # DEST holds these very files
  [ ${#todo[@]} -eq 0 ] || [[ " $* " != *" $scatter "* ]] || last=("$scatter")
  not_an_input "${todo[@]/#/$dest/}" "${last[@]/#/$dest/}" || return
  mkdir -p -- "$dest" && rm -f -- "$dest/$scatter" || return 3
  for name in "${todo[@]}"; do
    place "$OUT/$name" "$dest/$name" link || return
    stamp_proven "$OUT/$name" || return   # a link changes the change time
  done
  for name in "${last[@]}"; do place "$OUT/$name" "$dest/$name" copy || return; done
}

# FROM under the name TO, by a temporary beside TO: a hard link (a copy across file systems)
# or a copy.
place() {  # FROM TO link|copy
  local tmp=${2%/*}/.${2##*/}.tmp
  mkdir -p -- "${2%/*}" || { step_die "${2%/*}: cannot be made"; return 3; }
  if { [ "$3" = link ] && ln -f -- "$1" "$tmp" 2>/dev/null; } || cp --reflink=auto -- "$1" "$tmp"; then
    _publish "$2" "$tmp" && return 0
  fi
  rm -f -- "$tmp"
  step_die "$2: cannot be written"
  return 3
}
