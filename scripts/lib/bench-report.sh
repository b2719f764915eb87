# shellcheck shell=bash
# report STARTED_MS: the table, bench-results/<UTC time>[-smoke].json and its .png chart of this run
# (scripts/lib/bench-report.mjs over the figures file), sourced by scripts/bench.sh.

report() {
  local started=$1 stamp file settings
  stamp=$(date -u +%Y-%m-%dT%H%M%SZ)
  mkdir -p "$REPO_ROOT/bench-results"
  file=bench-results/$stamp.json
  ((SMOKE)) && file=bench-results/$stamp-smoke.json
  settings=$(printf '{"commit":"%s","smoke":%s,"runs":%d,"idleSeconds":%d,"wrkSeconds":%d,"entities":%d,"placement":"%s"}' \
    "$(git -C "$REPO_ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)" "$( ((SMOKE)) && echo true || echo false)" \
    "$RUNS" "$IDLE_S" "$WRK_S" "$ENTITIES" "$PLACEMENT")
  echo
  node "$BENCH_LIB/bench-report.mjs" run "$FIGURES" "$REPO_ROOT/$file" "$SCRATCH/ratios.dat" "$settings" \
    || die "scripts/lib/bench-report.mjs failed to write $file (above)"
  write_chart "$REPO_ROOT/$file" "$REPO_ROOT/${file%.json}.png" "$SCRATCH/ratios.dat"
  echo
  echo "measured in $((($(now_ms) - started) / 1000))s; results: $file, chart: ${file%.json}.png"
}

# write_chart FILE.json FILE.png RATIOS.dat: bar chart of the ratios (gnuplot, from Debian).
write_chart() {
  local json=$1 png=$2 dat=$3
  ensure_apt gnuplot-nox
  if [[ ! -s $dat ]]; then
    warn "no ratios to chart"
    return 0
  fi
  gnuplot <<GP || die "gnuplot failed to write $png"
set terminal pngcairo size 1200,700 font "sans,10"
set output "$png"
set title "PiHub vs JIT build and peers, one run ($(basename "$json" .json)); > 1 = PiHub better, log scale"
set style fill solid 0.8 border -1
set boxwidth 0.6
set logscale y
set yrange [0.01:*]
set bmargin 11
set rmargin 16
set grid ytics
set xtics rotate by -35 left
set ylabel "ratio"
set key top right
plot "$dat" using 0:2:xtic(1) with boxes lc rgb "#3b7dd8" title "measured ratio", \
     "" using 0:2:(sprintf("%.2g", \$2)) with labels offset 0,0.8 notitle, \
     "" using 0:(\$3 > 0 ? \$3 : 1/0) with points pt 7 ps 1.5 lc rgb "#d83b3b" title "target (issue 5)", \
     1 with lines dt 2 lc rgb "black" title "parity"
GP
}
