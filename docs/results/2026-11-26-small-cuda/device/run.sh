#!/bin/bash
# Session 9: TorchSharp training on CUDA, LibTorchSharp (built for libtorch 2.10) over the image's PyTorch libs.
set -o pipefail
T0=$(date +%s); el(){ echo "[$(( $(date +%s)-T0 ))s] $*"; }
R=$PWD
cd /tmp && xz -dc -T0 $R/.gpu/s9/app.tar.xz | tar xf - || { echo unpack failed; exit 3; }
P=/tmp/pubcli/pipeline
TL=$(python3 -c "import torch,os;print(os.path.dirname(torch.__file__)+'/lib')")
python3 -c "import torch;print('torch',torch.__version__,'cuda',torch.version.cuda)"
export LD_LIBRARY_PATH=$TL:$LD_LIBRARY_PATH
nvidia-smi -L; nproc
ldd -r /tmp/pubcli/libLibTorchSharp.so > $OUT/ldd.txt 2>&1; echo "undefined: $(grep -c 'undefined symbol' $OUT/ldd.txt)"; grep 'undefined symbol' $OUT/ldd.txt | head -8 | cut -c1-200
el tiny
timeout 150 $P run --preset tiny --device cuda --out /tmp/t --until train > $OUT/tiny-cuda.log 2>&1; rc=$?; tail -22 $OUT/tiny-cuda.log
for s in 0a-vision 0b-text; do tail -1 /tmp/t/stages/$s/metrics.jsonl; done
[ $rc = 0 ] || { el "tiny failed rc=$rc"; head -60 $OUT/tiny-cuda.log; exit 4; }
el small-data
$P run --preset small --until data --out /tmp/s > /dev/null 2>&1 || { el data failed; exit 5; }
el small-0a0b
timeout 200 $P train --preset small --device cuda --run /tmp/s --until 0b > $OUT/small-0a0b.log 2>&1; rc=$?; tail -6 $OUT/small-0a0b.log
[ $rc = 0 ] || { el "0a/0b failed rc=$rc"; exit 6; }
SPS=$(tail -1 /tmp/s/stages/0b-text/metrics.jsonl | python3 -c "import json,sys;print(json.load(sys.stdin)['samples_per_s'])")
NOW=$(( $(date +%s)-T0 )); N=$(python3 -c "print(max(1000,int(($LONG_END-$NOW-25)*$SPS/64/100)*100))")
el "0b at ${SPS} samples/s: long 0b with $N steps"
mkdir -p /tmp/s2/stages && ln -s /tmp/s/data /tmp/s2/data && cp -r /tmp/s/stages/0a-vision /tmp/s2/stages/
timeout $(( LONG_END+60-NOW )) $P train --preset small --device cuda --run /tmp/s2 --resume --until 0b --steps 0b=$N > $OUT/long-0b.log 2>&1; rc=$?; tail -4 $OUT/long-0b.log
cp /tmp/s2/stages/0b-text/metrics.jsonl $OUT/long-0b-metrics.jsonl
[ $rc = 0 ] || { el "long 0b failed rc=$rc"; exit 7; }
el nm-on-long-0b
NOW=$(( $(date +%s)-T0 ))
timeout $(( END-NOW )) $P train --preset small --device cuda --run /tmp/s2 --resume --variant norm-multilayer > $OUT/nm-long0b.log 2>&1; rc=$?; tail -28 $OUT/nm-long0b.log
cp /tmp/s2/stages/norm-multilayer/2-qa/metrics.jsonl $OUT/nm-qa-metrics.jsonl 2>/dev/null
nvidia-smi --query-gpu=memory.used,utilization.gpu --format=csv
el "done rc=$rc"
