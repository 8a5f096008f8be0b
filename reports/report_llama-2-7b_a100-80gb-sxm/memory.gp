reset
set terminal svg size 900,500 dynamic noenhanced font 'sans,11'
set output 'memory.svg'
set title 'llama-2-7b on a100-80gb-sxm: memory per device against batch'
set style data histograms
set style histogram rowstacked
set style fill solid 0.8 border -1
set boxwidth 0.75
set grid y
set ylabel 'GB (1e9 B)'
set xlabel 'batch'
set key top left
plot 'batches.dat' using ($5/1e9):xtic(1) title 'weights', '' using ($6/1e9) title 'KV cache', '' using ($7/1e9) title 'activations', '' using ($8/1e9) title 'runtime reserve', '' using 0:($9/1e9) with lines lw 2 lc rgb 'red' title 'usable capacity'
