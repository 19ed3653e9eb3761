#!/usr/bin/env bash
# The first plan of a fresh JVM (issue 19, item 3: goal 0.6 s wall), beside the JVM's own start as
# the floor, measured in the same run. Each run is a new `java` process; the cases run in turn
# (floor, plan, plan from YAML, floor, plan, ...) so that a machine whose speed drifts affects
# them alike, and each pair gives a ratio to the floor.
#
#   mvn -B -q -o package -DskipTests -pl benchmarks -am      # builds benchmarks/target/benchmarks.jar
#   benchmarks/coldstart/first-plan.sh [runs] [extra java options...]
#
# Cases:
#   jvm    java -Xshare:auto -version: the JVM starting and exiting, nothing of ours (the floor)
#   plan   FirstPlan: a plane with one in-memory cluster plans a one-component application with
#          an ingress built in Java, prints the summary, exits (checked: 3 creates, exit 0)
#   yaml   FirstPlan --yaml: the same application loaded from YAML first, as the CLI does
# Prints each case's wall times in milliseconds with the median, then the median of the per-round
# ratios to the floor. Quote medians and say the machine's load (uptime) with the figures.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
jar="$root/benchmarks/target/benchmarks.jar"
runs="${1:-10}"
shift || true
extra=("$@")
[[ -f "$jar" ]] || { echo "no $jar: build it with mvn -B -q -o package -DskipTests -pl benchmarks -am" >&2; exit 1; }
main=io.orchestrationplane.benchmarks.coldstart.FirstPlan

# The plan must really plan: FirstPlan exits 1 unless it plans the three creates.
java "${extra[@]}" -cp "$jar" "$main" >/dev/null
java "${extra[@]}" -cp "$jar" "$main" --yaml >/dev/null

ms() { # runs the command once, prints its wall time in ms
  local start end
  start=$(date +%s%N)
  "$@" >/dev/null 2>&1
  end=$(date +%s%N)
  echo $(( (end - start) / 1000000 ))
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }

jvm=() plan=() yaml=() rplan=() ryaml=()
for ((i = 0; i < runs; i++)); do
  j=$(ms java "${extra[@]}" -Xshare:auto -version)
  p=$(ms java "${extra[@]}" -cp "$jar" "$main")
  y=$(ms java "${extra[@]}" -cp "$jar" "$main" --yaml)
  jvm+=("$j") plan+=("$p") yaml+=("$y")
  rplan+=("$(awk -v a="$p" -v b="$j" 'BEGIN {printf "%.2f", a / b}')")
  ryaml+=("$(awk -v a="$y" -v b="$j" 'BEGIN {printf "%.2f", a / b}')")
done

java -version 2>&1 | head -1
echo "load: $(uptime | sed 's/.*load average/load average/')"
for c in jvm plan yaml; do
  declare -n t="$c"
  printf '%-5s median %6s ms   runs: %s\n' "$c" "$(printf '%s\n' "${t[@]}" | median)" "${t[*]}"
done
printf 'plan/jvm median of per-round ratios %s, yaml/jvm %s\n' \
  "$(printf '%s\n' "${rplan[@]}" | median)" "$(printf '%s\n' "${ryaml[@]}" | median)"
