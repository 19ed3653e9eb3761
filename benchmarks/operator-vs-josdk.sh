#!/usr/bin/env bash
# Operator mode vs. the Java Operator SDK peer, side by side (issue 19, item 1).
#
#   benchmarks/operator-vs-josdk.sh [--no-build] [--no-events] [pairs=3] [reps=3] [warmups=1] [n=500]
#
# Builds both offline (ours: benchmarks/target/benchmarks.jar; the peer: a copy of its sources under
# $TMPDIR, outside this repository, since the peer's own folder is read-only), then runs them
# alternately, ours then the peer, `pairs` times, each run in a fresh JVM with the same N, the same
# number of measured rounds (reps) and the same warm-up rounds (warmups). Both do, per round, on a
# fresh fabric8 CRUD mock server over HTTP (JDK HTTP client): N custom resources exist before the
# operator starts (startup: operator start -> N ConfigMaps exist), then N more are created one by
# one by an admin client while it runs (steady state: first create -> N ConfigMaps exist). Each
# custom resource renders one ConfigMap and gets a status write: the peer runs with --status, as our
# operator writes status. Ours runs with its defaults (finalizer, inventory, Events); --no-events
# turns its Events off (ApplicationOperator.Builder.events(false)): the peer records none.
#
# Prints each pair's medians and ratios (ours/peer, lower is better) and the median of the ratios;
# every run's full output stays under benchmarks/target/operator-vs-josdk/<time>/.
# Environment: JOSDK_PEER (default ../shared/peers/josdk beside the repository), JAVA (default java),
# OPERATOR_JAR (default benchmarks/target/benchmarks.jar; a copy lets a build run meanwhile),
# BASELINE_JAR (optional: another build of ours, e.g. main's, run in each pair right after the peer,
# so a before/after comparison is measured alternately in the same session; its figures and
# ratios to the peer are printed on a second line per pair).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
build=1
events=true
while [[ "${1:-}" == --* ]]; do
  case "$1" in
    --no-build) build=0 ;;
    --no-events) events=false ;;
    *) echo "unknown option $1" >&2; exit 64 ;;
  esac
  shift
done
pairs="${1:-3}"
reps="${2:-3}"
warmups="${3:-1}"
n="${4:-500}"
java="${JAVA:-java}"
peer_src="${JOSDK_PEER:-$root/../shared/peers/josdk}"
peer_build="${TMPDIR:-/tmp}/orchestration-plane-josdk-peer"
jar="${OPERATOR_JAR:-$root/benchmarks/target/benchmarks.jar}"
baseline="${BASELINE_JAR:-}"
out="$root/benchmarks/target/operator-vs-josdk/$(date -u +%Y%m%dT%H%M%SZ)"

[[ -f "$peer_src/run.sh" ]] || { echo "no peer at $peer_src (set JOSDK_PEER)" >&2; exit 1; }
if ((build)); then
  echo "building ours (offline) ..."
  (cd "$root" && mvn -B -q -o package -DskipTests -pl benchmarks -am)
  echo "building the peer (offline) in $peer_build ..."
  rm -rf "$peer_build"
  mkdir -p "$peer_build"
  cp -r "$peer_src/." "$peer_build/"
  chmod -R u+w "$peer_build"
  (cd "$peer_build" && mvn -B -q -o package -DskipTests)
fi
[[ -f "$jar" ]] || { echo "no $jar: run without --no-build" >&2; exit 1; }
[[ -z "$baseline" || -f "$baseline" ]] || { echo "no BASELINE_JAR $baseline" >&2; exit 1; }
[[ -f "$peer_build/target/josdk-baseline.jar" ]] || { echo "no peer build in $peer_build: run without --no-build" >&2; exit 1; }
mkdir -p "$out"

# median of a metric row ("| name | unit | median | min | max | reps |") in a run's output, commas removed
median_of() {
  local file="$1" metric="$2"
  awk -F'|' -v m="$metric" '{ name = $2; gsub(/^ +| +$/, "", name) } name == m { v = $4; gsub(/[ ,]/, "", v); print v; exit }' "$file"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
median() { sort -g | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else printf "%.2f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

STARTUP='startup: start() -> N ConfigMaps exist, N pre-existing CRs'
STEADY='steady state: create N CRs -> N ConfigMaps exist'
echo "pairs=$pairs reps=$reps warmups=$warmups n=$n events=$events; runs in $out"
echo "load before: $(uptime)"
steady_ratios=()
startup_ratios=()
base_steady_ratios=()
base_startup_ratios=()
printf '%-5s | %-28s | %-28s | %-22s\n' pair "steady state ms (ours/peer)" "startup ms (ours/peer)" "ours: requests per app"
for ((p = 1; p <= pairs; p++)); do
  "$java" -Doperator.events="$events" -cp "$jar" io.orchestrationplane.benchmarks.k8s.OperatorBenchmark \
    "$reps" "$warmups" "$n" >"$out/ours-$p.txt" 2>&1
  "$peer_build/run.sh" --status "$reps" "$warmups" "$n" >"$out/peer-$p.txt" 2>&1
  os=$(median_of "$out/ours-$p.txt" "$STEADY"); ps=$(median_of "$out/peer-$p.txt" "$STEADY")
  ou=$(median_of "$out/ours-$p.txt" "$STARTUP"); pu=$(median_of "$out/peer-$p.txt" "$STARTUP")
  req=$(median_of "$out/ours-$p.txt" "API requests per Application, steady state incl. its create")
  [[ -n "$os" && -n "$ps" && -n "$ou" && -n "$pu" ]] || { echo "pair $p: a run failed, see $out" >&2; exit 1; }
  rs=$(ratio "$os" "$ps"); ru=$(ratio "$ou" "$pu")
  steady_ratios+=("$rs"); startup_ratios+=("$ru")
  printf '%-5s | %7s / %7s = %5s    | %7s / %7s = %5s    | %s\n' "$p" "$os" "$ps" "$rs" "$ou" "$pu" "$ru" "$req"
  if [[ -n "$baseline" ]]; then
    "$java" -Doperator.events="$events" -cp "$baseline" io.orchestrationplane.benchmarks.k8s.OperatorBenchmark \
      "$reps" "$warmups" "$n" >"$out/baseline-$p.txt" 2>&1
    bs=$(median_of "$out/baseline-$p.txt" "$STEADY"); bu=$(median_of "$out/baseline-$p.txt" "$STARTUP")
    breq=$(median_of "$out/baseline-$p.txt" "API requests per Application, steady state incl. its create")
    [[ -n "$bs" && -n "$bu" ]] || { echo "pair $p: the baseline run failed, see $out" >&2; exit 1; }
    brs=$(ratio "$bs" "$ps"); bru=$(ratio "$bu" "$pu")
    base_steady_ratios+=("$brs"); base_startup_ratios+=("$bru")
    printf '%-5s | %7s / %7s = %5s    | %7s / %7s = %5s    | %s\n' "  base" "$bs" "$ps" "$brs" "$bu" "$pu" "$bru" "$breq"
  fi
done
echo "median ratio ours/peer: steady state $(printf '%s\n' "${steady_ratios[@]}" | median)," \
  "startup $(printf '%s\n' "${startup_ratios[@]}" | median) (goal <= 0.8)"
if [[ -n "$baseline" ]]; then
  echo "median ratio baseline/peer: steady state $(printf '%s\n' "${base_steady_ratios[@]}" | median)," \
    "startup $(printf '%s\n' "${base_startup_ratios[@]}" | median)"
fi
echo "load after: $(uptime)"
