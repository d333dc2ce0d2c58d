#!/bin/bash
# Session 12: does one cosine over 4,000 transcript steps from scratch reach the second 0b drop? (H100)
T0=$(date +%s); el(){ echo "[$(( $(date +%s)-T0 ))s] $*"; }
R=$PWD; cd /tmp && xz -dc -T0 $R/.gpu/app.tar.xz | tar xf - || exit 3
P=/tmp/pubcli/pipeline; export LD_LIBRARY_PATH=$(python3 -c "import torch,os;print(os.path.dirname(torch.__file__)+'/lib')"):$LD_LIBRARY_PATH
el data; $P run --preset small --until data --out /tmp/s > /dev/null 2>&1 || exit 5
el train
timeout $(( ${END:-175}-$(date +%s)+T0 )) $P train --preset small --device cuda --run /tmp/s --until 0b --text-format transcript --steps 0b=4000 > $OUT/scratch-4k.log 2>&1; rc=$?
cp /tmp/s/stages/0b-text/metrics.jsonl $OUT/scratch-4k-metrics.jsonl; grep -v "step " $OUT/scratch-4k.log | tail -5; el "rc=$rc"
