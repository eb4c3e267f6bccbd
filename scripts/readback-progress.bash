# readback-progress.bash: one progress line for a whole readback2fw run (bytes done of the total,
# rate, ETA), redrawn with \r on stderr twice a second.  Sourced by scripts/readback2fw, not run.
#
# The filters run with -q (no bar of their own: one line per job would be noise).  Progress is
# read off the stage folder, so it needs no word from the jobs: an image step reads its share of
# the dump twice (the filter, then its proof), and each pass is seen as a file:
#   the filter's pending output ..FILE.tmp.tmp*  its size so far (the first pass under way)
#   the step's temporary .FILE.tmp               the first pass done, the proof under way
#   the published FILE                           both done
# Each share is the partition's size for a raw image and sparse_bound for a sparse one.
# shellcheck disable=SC2154  # progress: readback2fw's (--progress, --no-progress, a terminal)

progress_pid='' progress_plan='' progress_total=0 progress_began=0

# Bytes as the filters' bars say them: 12.3 MiB.
progress_human() {  # BYTES
  local v=$1 u=0 units=(B KiB MiB GiB TiB PiB)
  while [ "$v" -ge $(( 1024 * 1024 )) ] && [ $u -lt 5 ]; do v=$(( v / 1024 )); u=$(( u + 1 )); done
  if [ "$v" -ge 1024 ]; then v=$(( v * 10 / 1024 )); u=$(( u + 1 )); echo "$(( v / 10 )).$(( v % 10 )) ${units[u]}"
  elif [ $u -eq 0 ]; then echo "$v B"
  else echo "$v.0 ${units[u]}"; fi
}

# The bytes done of the steps in PLAN ("FILE<TAB>SHARE" lines, SHARE = one pass), from the stage.
progress_done() {  # PLAN
  local file share bytes=0 part f
  while IFS=$'\t' read -r file share; do
    if [ -e "$OUT/$file" ]; then bytes=$(( bytes + 2 * share ))
    elif [ -e "$OUT/.$file.tmp" ]; then bytes=$(( bytes + share ))
    else
      for f in "$OUT/..$file.tmp.tmp"*; do
        [ -e "$f" ] || continue
        part=$(stat -c %s -- "$f" 2>/dev/null) || continue
        bytes=$(( bytes + (part < share ? part : share) ))
      done
    fi
  done < "$1"
  echo "$bytes"
}

# Draws the line once: PLAN's bytes done of TOTAL since START (microseconds); "final" has no ETA.
progress_draw() {  # PLAN TOTAL START [final]
  local plan=$1 total=$2 start=$3 bytes now us rate line
  bytes=$(progress_done "$plan")
  [ "$bytes" -le "$total" ] || bytes=$total
  now=${EPOCHREALTIME//[!0-9]/}
  us=$(( now - start > 0 ? now - start : 1 ))
  rate=$(( bytes * 1000000 / us ))
  line="readback2fw: $(progress_human "$bytes") of $(progress_human "$total") ($(( total ? bytes * 100 / total : 100 ))%), $(progress_human "$rate")/s"
  if [ "${4:-}" != final ] && [ "$rate" -gt 0 ] && [ "$bytes" -lt "$total" ]; then
    local eta=$(( (total - bytes) / rate ))
    line+=$(printf ', ETA %d:%02d' $(( eta / 60 )) $(( eta % 60 )))
  fi
  printf '\r%s   ' "$line" >&2
}

# Redraws the line until TERMinated or the run is gone.  The last line is progress_stop's: drawn
# by the run itself, it cannot be lost to a loop that a loaded machine has not scheduled in time.
progress_loop() {  # PLAN TOTAL START PARENT
  trap 'exit 0' TERM
  while kill -0 "$4" 2>/dev/null; do
    progress_draw "$1" "$2" "$3"
    sleep 0.5 & wait $!
  done
  printf '\n' >&2
}

# Starts the line for the images of SCATTER in the stage; nothing when progress is off.
progress_start() {  # SCATTER
  [ "$progress" = 1 ] || return 0
  local name file type start size share total=0 plan=$OUT/.progress-plan
  : > "$plan"
  progress_plan=$plan progress_began=${EPOCHREALTIME//[!0-9]/}
  while IFS=$'\t' read -r name file type; do
    read -r start size < <(image_range "$name") || return
    share=$(image_bound "$name" "$type" "$start" "$size") || return
    printf '%s\t%s\n' "$file" "$share" >> "$plan"
    total=$(( total + 2 * share ))
  done < <(scatter_downloads "$OUT/$1")
  progress_total=$total
  # Not a job of ours: the job slots (jobs -r) and wait -n are the images'.
  progress_pid=$(progress_loop "$plan" "$total" "$progress_began" "$$" > /dev/null & echo $!)
}

# Ends the line: the loop is stopped (and waited for), then the line is drawn once more, as it
# stands, and ended.
progress_stop() {
  [ -n "$progress_pid" ] || return 0
  local pid=$progress_pid tries
  progress_pid=
  kill -TERM "$pid" 2>/dev/null || true
  for ((tries = 0; tries < 500; tries++)); do alive "$pid" || break; sleep 0.02; done
  alive "$pid" && kill -KILL "$pid" 2>/dev/null
  progress_draw "$progress_plan" "$progress_total" "$progress_began" final
  printf '\n' >&2
}
