#!/usr/bin/env bash
# Training across processes on one machine, same sitting, median of 3 runs each:
# `mpirun -np 2 flyvec train --threads 1` beside one process with `--threads 2` (default settings),
# the epoch's time, the whole run's wall time (reading and the usage profile included), the peak
# RSS of the largest process (GNU time's maximum over the processes it waited for), and the bytes
# each rank sends per minibatch.
# Usage: scripts/bench-cluster.sh CORPUS [WORKDIR]
set -euo pipefail
corpus=${1:-data/en-mix.txt.zst}
work=${2:-out/bench-cluster}
bin=$(realpath "${FLYVEC:-.build/release/flyvec}")
mkdir -p "$work"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
# --bind-to none: Open MPI pins each of 2 ranks to one core, which would leave rank 0 one core for
# the usage profile it makes while the other rank sleeps.
mpi=(mpirun --bind-to none --mca btl tcp,self --mca btl_tcp_if_include lo -np 2)
run() {  # LABEL then a command; prints: label epoch-seconds wall-seconds
  label=$1; shift
  log="$work/$label.log"
  /usr/bin/time -f 'wall %e %M' "$@" -o "$work/m.flyvec" 2> "$log" >/dev/null
  epoch=$(sed -n 's/^epoch 1\/1: .*, \([0-9.]*\) s, .*/\1/p' "$log" | tail -n 1)
  read -r wall rss < <(sed -n 's/^wall //p' "$log")
  echo "$label $epoch $wall $((rss / 1024))"
}
results=$(for _ in 1 2 3; do
  run single "$bin" train "$corpus" --threads 2
  run mpi2 "${mpi[@]}" "$bin" train "$corpus" --threads 1
done)
med() { echo "$results" | awk -v l="$1" -v c="$2" '$1 == l { print $c }' | sort -n | sed -n 2p; }
printf '%-34s %8s %8s %9s\n' "" "epoch" "run" "peak RSS"
printf '%-34s %7.2fs %7.2fs %6d MB\n' "one process, --threads 2" "$(med single 2)" "$(med single 3)" "$(med single 4)"
printf '%-34s %7.2fs %7.2fs %6d MB\n' "mpirun -np 2, --threads 1 each" "$(med mpi2 2)" "$(med mpi2 3)" "$(med mpi2 4)"
awk -v a="$(med single 2)" -v b="$(med mpi2 2)" -v c="$(med single 3)" -v d="$(med mpi2 3)" \
  'BEGIN { printf "speed of 2 ranks over 1 process: epoch %.2f, run %.2f\n", a / b, c / d }'
grep '^exchange' "$work/mpi2.log" | tail -n 1
