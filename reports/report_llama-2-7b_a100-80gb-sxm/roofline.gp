reset
set terminal svg size 900,560 dynamic noenhanced font 'sans,11'
set output 'roofline.svg'
set title 'llama-2-7b on a100-80gb-sxm: roofline (bf16 compute; ridge 160 FLOP/B)'
set logscale xy
set xlabel 'arithmetic intensity (FLOP/B)'
set ylabel 'FLOP/s'
set grid
set lmargin at screen 0.1
set rmargin at screen 0.97
set bmargin at screen 0.11
set tmargin at screen 0.91
set key bottom right
set xrange [0.05:100000]
set yrange [1000000000:1000000000000000]
roof(x) = (x * 1692370000000 < 271440000000000) ? x * 1692370000000 : 271440000000000
set label 1 'attn_norm, mlp_norm, final_norm' at 1.1592212496556125,1117016788798.993 left font ',8'
set label 2 'attn_norm, mlp_norm, final_norm' at 0.7731915171042807,6453592990.614843 left font ',8'
set label 3 'q_proj, k_proj, v_proj, o_proj' at 791.7481135147829,112771407314490.5 left font ',8'
set arrow 3 from 682.6666666666666,199511005467272.7 to 791.7481135147829,112771407314490.5 nohead lw 0.5 lc rgb '#888888'
set label 4 'q_proj, k_proj, v_proj, o_proj' at 0.8618062795063114,1936475013669.2258 right font ',8'
set label 5 'attn_residual, mlp_residual' at 0.19329787927607012,197285016405.98392 left font ',8'
set label 6 'attn_residual, mlp_residual' at 0.19329787927607012,2562326322.4074354 left font ',8'
set label 7 'mlp_gate_up' at 916.0135124969254,198140767646979.66 left font ',8'
set label 8 'mlp_gate_up' at 0.8619774873107754,2938088319960.295 right font ',8'
set arrow 8 from 0.9997105216853314,1660722193646.3015 to 0.8619774873107754,2938088319960.295 nohead lw 0.5 lc rgb '#888888'
set label 9 'attention' at 200.06519272533515,155162482678949.7 left font ',8'
set label 10 'attention' at 1.1680714704825381,582147900387.3866 left font ',8'
set arrow 10 from 1.0071428571428571,1445847941998.1658 to 1.1680714704825381,582147900387.3866 nohead lw 0.5 lc rgb '#888888'
set label 11 'mlp_down' at 884.2901008087172,369135133366261.8 left font ',8'
set arrow 11 from 762.4588744588744,208649584926100.2 to 884.2901008087172,369135133366261.8 nohead lw 0.5 lc rgb '#888888'
set label 12 'mlp_down' at 1.1593988959844608,5685431391704.565 left font ',8'
set arrow 12 from 0.9996651285282115,1630619789942.9617 to 1.1593988959844608,5685431391704.565 nohead lw 0.5 lc rgb '#888888'
set label 13 'mlp_act' at 0.8622270833537264,5619502687025.739 right font ',8'
set arrow 13 from 1,1611710996015.483 to 0.8622270833537264,5619502687025.739 nohead lw 0.5 lc rgb '#888888'
set label 14 'lm_head' at 0.8619896994716454,479065538600.9884 right font ',8'
set arrow 14 from 0.9997246851941165,1670342938706.2544 to 0.8619896994716454,479065538600.9884 nohead lw 0.5 lc rgb '#888888'
set label 15 'mlp_act' at 1.1597872756564214,40820952943.87917 left font ',8'
set label 16 'rotary' at 0.8698404567423157,4020036821574.5566 left font ',8'
set arrow 16 from 0.75,1152973476581.4458 to 0.8698404567423157,4020036821574.5566 nohead lw 0.5 lc rgb '#888888'
set label 17 'rotary' at 0.8698404567423157,15337105507.647375 left font ',8'
plot roof(x) with lines lw 2 title 'attainable (achievable bandwidth and peak)', 'prefill_ops.dat' using 1:2 with points pt 7 ps 1.2 title 'prefill operators', 'decode_ops.dat' using 1:2 with points pt 5 ps 1.2 lc rgb '#e69f00' title 'decode operators (mean context)'
