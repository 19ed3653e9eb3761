#!/usr/bin/env bash
# The CLI's `plan` of a 35-object application from a cold JVM (issue 18: goal under 1.5 s wall),
# beside the JVM's own start as the floor. Each run is a new `java` process, as in a CI step.
#
#   mvn -B -q -pl orchestration-cli -am package -DskipTests     # builds orchestration-cli/target/orchestrate.jar
#   benchmarks/cli/plan-cold-jvm.sh [runs] [extra java options...]
#
# Prints, for each case, every run's wall time in milliseconds and the median:
#   jvm       java -Xshare:auto -version: the JVM starting and exiting, nothing of ours
#   version   orchestrate --version: the JVM plus opening the jar and picocli
#   plan      orchestrate plan app-35.yaml on the embedded cluster, exit 2 (changes)
#   plan+pol  the same admitted by the sample guardrails (three CEL policies)
# Run it on an otherwise idle machine; the figures go to docs/benchmarks.md.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
jar="$root/orchestration-cli/target/orchestrate.jar"
runs="${1:-10}"
shift || true
extra=("$@")
[[ -f "$jar" ]] || { echo "no $jar: build it with mvn -B -q -pl orchestration-cli -am package -DskipTests" >&2; exit 1; }
app="$here/app-35.yaml"
policies="$root/samples/testing/src/main/resources/policies/guardrails.yaml"

measure() {
  local name="$1"; shift
  local times=()
  for ((i = 0; i < runs; i++)); do
    local start end
    start=$(date +%s%N)
    "$@" >/dev/null 2>&1 || true
    end=$(date +%s%N)
    times+=($(( (end - start) / 1000000 )))
  done
  local median
  median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : int((a[NR / 2] + a[NR / 2 + 1]) / 2)}')
  printf '%-9s median %5d ms   runs: %s\n' "$name" "$median" "${times[*]}"
}

# The plan must really plan: check its exit code (2: changes) once before timing it.
set +e
java "${extra[@]}" -jar "$jar" plan "$app" --detailed-exitcode >/dev/null 2>&1
code=$?
set -e
[[ $code -eq 2 ]] || { echo "orchestrate plan exited $code, expected 2" >&2; exit 1; }

java -version 2>&1 | head -1
measure jvm java "${extra[@]}" -Xshare:auto -version
measure version java "${extra[@]}" -jar "$jar" --version
measure plan java "${extra[@]}" -jar "$jar" plan "$app" --detailed-exitcode
measure plan+pol java "${extra[@]}" -jar "$jar" plan "$app" --detailed-exitcode --policy "$policies"
