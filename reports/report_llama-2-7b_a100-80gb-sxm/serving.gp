reset
set terminal svg size 900,500 dynamic noenhanced font 'sans,11'
set output 'serving.svg'
set title 'llama-2-7b on a100-80gb-sxm: latency against request rate (500 requests a rate, vllm''s scheduler)'
set logscale y
set grid
set xlabel 'request rate (requests/s, Poisson)'
set ylabel 'milliseconds'
set key top left
set xrange [0:5.771638655003682]
set arrow 1 from 5.496798719051125,graph 0 to 5.496798719051125,graph 1 nohead dt 2 lc rgb '#888888'
set label 1 'offline throughput 5.5 req/s' at 5.496798719051125,graph 0.96 right offset -0.6,0 textcolor rgb '#555555'
plot 'rates.dat' using 1:($2 > 0 ? $2*1000 : 1/0) with linespoints pt 7 ps 0.8 dt 1 lw 2 lc rgb '#0072b2' title 'TTFT p50', 'rates.dat' using 1:($3 > 0 ? $3*1000 : 1/0) with linespoints pt 7 ps 0.8 dt 2 lw 2 lc rgb '#0072b2' title 'TTFT p99', 'rates.dat' using 1:($4 > 0 ? $4*1000 : 1/0) with linespoints pt 7 ps 0.8 dt 1 lw 2 lc rgb '#e69f00' title 'TPOT p50', 'rates.dat' using 1:($5 > 0 ? $5*1000 : 1/0) with linespoints pt 7 ps 0.8 dt 2 lw 2 lc rgb '#e69f00' title 'TPOT p99', 500 with lines lw 2 dt 3 lc rgb '#0072b2' title 'TTFT target 500 ms', 30 with lines lw 2 dt 3 lc rgb '#e69f00' title 'TPOT target 30 ms'
