reset
set terminal svg size 900,560 dynamic noenhanced font 'sans,11'
set output 'roofline.svg'
set title 'llama-2-7b on a100-80gb-sxm: roofline (bf16 compute; ridge 160 FLOP/B)'
set logscale xy
set xlabel 'arithmetic intensity (FLOP/B)'
set ylabel 'FLOP/s'
set grid
set key top left
set xrange [0.05:1e5]
roof(x) = (x * 1692370000000 < 271440000000000) ? x * 1692370000000 : 271440000000000
plot roof(x) with lines lw 2 title 'attainable (achievable bandwidth and peak)', 'prefill_ops.dat' using 1:2 with points pt 7 ps 1.2 title 'prefill operators', 'prefill_ops.dat' using 1:2:3 with labels offset 1,0.5 font ',8' notitle, 'decode_ops.dat' using 1:2 with points pt 5 ps 1.2 title 'decode operators (mean context)', 'decode_ops.dat' using 1:2:3 with labels offset 1,-0.5 font ',8' notitle
