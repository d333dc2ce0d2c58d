#!/bin/bash
# Session 12: resume the CPU's 6,000-step transcript 0b on the H100 for as many steps as the time allows,
# then stages 1-2 of all three variants on that LM (TorchSharp over the image's CUDA PyTorch libtorch).
set -o pipefail
T0=$(date +%s); el(){ echo "[$(( $(date +%s)-T0 ))s] $*"; }
END=${END:-540}; STAGE12=${STAGE12:-230}
R=$PWD
cd /tmp && xz -dc -T0 $R/.gpu/app.tar.xz | tar xf - || { echo unpack failed; exit 3; }
P=/tmp/pubcli/pipeline
TL=$(python3 -c "import torch,os;print(os.path.dirname(torch.__file__)+'/lib')")
python3 -c "import torch;print('torch',torch.__version__,'cuda',torch.version.cuda)"
export LD_LIBRARY_PATH=$TL:$LD_LIBRARY_PATH
nvidia-smi -L; nproc
el data
$P run --preset small --until data --out /tmp/s > $OUT/data.log 2>&1 || { el data failed; tail $OUT/data.log; exit 5; }
C=/tmp/s/stages/0b-text/checkpoint; mkdir -p $C && cp $R/.gpu/ck/* $C/
setsteps(){ python3 - "$C/state.json" "$1" <<'PY'
import json,sys; p=sys.argv[1]; s=json.load(open(p)); s["steps"]=int(sys.argv[2]); s["done"]=False; json.dump(s,open(p,"w"))
PY
}
TR="$P train --preset small --device cuda --run /tmp/s --resume --text-format transcript"
el "0a + 200-step probe of 0b"
setsteps 6200
timeout 200 $TR --until 0b --steps 0b=6200 > $OUT/probe.log 2>&1; rc=$?; tail -4 $OUT/probe.log
[ $rc = 0 ] || { el "probe failed rc=$rc"; head -40 $OUT/probe.log; exit 6; }
SPS=$(tail -1 /tmp/s/stages/0b-text/metrics.jsonl | python3 -c "import json,sys;print(json.load(sys.stdin)['samples_per_s'])")
NOW=$(( $(date +%s)-T0 )); N=$(python3 -c "print(6200+max(200,int(($END-$STAGE12-$NOW-40)*$SPS/64/200)*200))")
el "0b transcript at ${SPS} seq/s: resume to $N steps"
setsteps $N
timeout $(( END-STAGE12-NOW+30 )) $TR --until 0b --steps 0b=$N > $OUT/long-0b.log 2>&1; rc=$?; tail -4 $OUT/long-0b.log
cp /tmp/s/stages/0b-text/metrics.jsonl $OUT/long-0b-metrics.jsonl; cp $C/language_model.dat $C/optimizer.dat $C/norm_constants.json $OUT/; cp $C/state.json $OUT/0b-state.json
[ $rc = 0 ] || { el "long 0b failed rc=$rc"; exit 7; }
[ "$STAGE12" = 0 ] && { el "done (stages 1-2 left to the CPU)"; exit 0; }
el stages-1-2
NOW=$(( $(date +%s)-T0 ))
timeout $(( END+40-NOW )) $TR --steps 0b=$N > $OUT/variants.log 2>&1; rc=$?; tail -40 $OUT/variants.log
nvidia-smi --query-gpu=memory.used,utilization.gpu --format=csv
el "done rc=$rc"
