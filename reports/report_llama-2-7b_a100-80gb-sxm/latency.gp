reset
set terminal svg size 900,500 dynamic noenhanced font 'sans,11'
set output 'latency.svg'
set title 'llama-2-7b on a100-80gb-sxm: latency and throughput against batch'
set logscale x 2
set logscale y
set grid
set xlabel 'batch'
set ylabel 'milliseconds'
set y2label 'output tokens/s'
set y2tics
set ytics nomirror
set key top left
plot 'batches.dat' using 1:($2*1000) with linespoints title 'TTFT', 'batches.dat' using 1:($3*1000) with linespoints title 'TPOT', 'batches.dat' using 1:4 axes x1y2 with linespoints title 'throughput (right axis)', 'batches.dat' using 1:($5+$6+$7+$8 > $9 ? $2*1000 : 1/0) with points pt 6 ps 2.5 lc rgb 'red' title 'does not fit', 'batches.dat' using 1:($5+$6+$7+$8 > $9 ? $3*1000 : 1/0) with points pt 6 ps 2.5 lc rgb 'red' notitle
