#!/usr/bin/env bash
# Reproduce the results table and the training-curve figure, from random initialisation (OpenAI's
# weights are not obtainable where this project was built). Every train.py run resumes from its
# out_dir/last.pt, so calling this script again continues where it stopped: it can run in pieces,
# e.g. `timeout 550 bash reproduce.sh prosqa` repeated until it prints "all done".
#
#   bash reproduce.sh prepare     # data/: generated ProsQA train, released valid files, GSM8k offline
#   bash reproduce.sh prosqa      # the eight methods on ProsQA
#   bash reproduce.sh prontoqa    # Coconut, CoT, No-CoT, pause-as-thought on ProntoQA
#   bash reproduce.sh gsm8k       # CoT, then Coconut started from the CoT checkpoint
#   bash reproduce.sh figures     # figures/prosqa_curves.png
#   bash reproduce.sh table       # the results table (Markdown) from the runs' best.pt, beside the paper's
#   bash reproduce.sh mini        # CPU-sized (own flags): a small ProsQA, a 7M model, Coconut / CoT / No-CoT
#   bash reproduce.sh mini-coconut  # CPU-sized: a CoT model that learns it, then Coconut on top (and analysis)
#
# SHARED points at a folder with the released files (prosqa/prosqa_valid.json, prontoqa/*.json,
# gsm8k/valid.txt, gsm8k/train_original.txt); FLAGS replaces the train.py flags common to every
# run (default "--init scratch": random initialisation, GPT-2 124M; FLAGS="--init scratch --prev_tokens 6"
# adds the inputs that see the tokens before them, README Results); SEED picks the seed.
set -euo pipefail
cd "$(dirname "$0")"
SHARED=${SHARED:-../shared/data}
FLAGS=${FLAGS:-"--init scratch"}
SEED=${SEED:-0}

run() {  # run DATASET METHOD [more train.py flags]: a finished run only reloads and stops
    local dataset=$1 method=$2; shift 2
    local out=out/${NAME:-$dataset}-$method  # NAME: another folder prefix than the dataset
    python train.py --dataset "$dataset" --method "$method" --seed "$SEED" --out_dir "$out" $FLAGS "$@"
}

case "${1:-}" in
prepare)
    mkdir -p data/prosqa data/prontoqa data/gsm8k
    [ -f data/prosqa/prosqa_train.json ] || python data.py generate-prosqa --n 17886 --seed 0 --out data/prosqa/prosqa_train.json
    cp -n "$SHARED"/prosqa/prosqa_valid.json data/prosqa/
    cp -n "$SHARED"/prontoqa/prontoqa_train.json "$SHARED"/prontoqa/prontoqa_valid.json data/prontoqa/
    cp -n "$SHARED"/gsm8k/valid.txt data/gsm8k/
    [ -f data/gsm8k/train.txt ] || python data.py gsm8k-offline --original "$SHARED"/gsm8k/train_original.txt \
        --valid data/gsm8k/valid.txt --out data/gsm8k/train.txt
    ;;
prosqa)
    for m in coconut cot no-cot icot pause no-curriculum no-thought pause-as-thought; do run prosqa $m; done
    ;;
prontoqa)
    for m in coconut cot no-cot pause-as-thought; do run prontoqa $m; done
    ;;
gsm8k)
    run gsm8k cot --epochs 6
    run gsm8k coconut --init out/gsm8k-cot/best.pt --stage0_epochs 0
    ;;
mini)  # 24 to 57 minutes per run on 2 CPU cores; smaller graphs (12 nodes, 2 to 4 steps), own valid set
    mkdir -p data/prosqa-mini
    small="--n_nodes 12 --min_steps 2 --max_steps 4"
    [ -f data/prosqa-mini/train.json ] || python data.py generate-prosqa --n 10000 --seed 1 $small --out data/prosqa-mini/train.json
    [ -f data/prosqa-mini/valid.json ] || python data.py generate-prosqa --n 500 --seed 2 $small --out data/prosqa-mini/valid.json
    FLAGS="--init scratch --n_layer 4 --n_head 4 --n_embd 128 --train_file data/prosqa-mini/train.json
        --valid_file data/prosqa-mini/valid.json --max_latent_stage 4 --stage0_epochs 3 --epochs_per_stage 2
        --epochs 12 --batch_size 32 --lr 1e-3 --warmup_steps 100 --grad_clip 1 --log_interval 100"
    for m in coconut cot no-cot; do NAME=mini run prosqa $m; done
    python curves.py out/mini-coconut out/mini-cot out/mini-no-cot --out figures/mini_curves.png \
        --title "small ProsQA (12 nodes), 7M model from scratch, CPU"
    ;;
mini-coconut)  # CPU, 5 to 10 hours on 2 cores: a CoT model that learns the small ProsQA, then Coconut on top
    mkdir -p data/prosqa-mini
    small="--n_nodes 12 --min_steps 2 --max_steps 4"
    [ -f data/prosqa-mini/train100k.json ] || python data.py generate-prosqa --n 100000 --seed 3 $small --out data/prosqa-mini/train100k.json
    [ -f data/prosqa-mini/valid.json ] || python data.py generate-prosqa --n 500 --seed 2 $small --out data/prosqa-mini/valid.json
    data="--train_file data/prosqa-mini/train100k.json --valid_file data/prosqa-mini/valid.json
        --batch_size 8 --lr 1e-3 --warmup_steps 200 --grad_clip 1 --log_interval 200"
    curric="--max_latent_stage 4 --stage0_epochs 0 --epochs_per_stage 2"
    # CoT from scratch (results/2026-11-24-cpu-probes, probe A): 6 epochs of 25,000 questions
    FLAGS="--init scratch --n_layer 4 --n_head 4 --n_embd 128 $data --limit_train 25000 --epochs 6"
    NAME=mini-probe run prosqa cot
    # Coconut (X), Coconut with stage mixing (Y, for analysis.py), more CoT (control), No-CoT,
    # pause-as-thought, w/o curriculum, w/o thought, pause tokens and iCoT, 10 epochs each
    FLAGS="--init out/mini-probe-cot/best.pt $data --limit_train 8000 --epochs 10"
    NAME=mini-x run prosqa coconut $curric
    NAME=mini-y run prosqa coconut $curric --uniform_prob 0.3
    NAME=mini-control run prosqa cot
    NAME=mini-more run prosqa no-cot
    NAME=mini-more run prosqa pause-as-thought $curric
    NAME=mini-more run prosqa no-curriculum $curric   # w/o curriculum: 4 thoughts from the first epoch
    NAME=mini-more run prosqa no-thought $curric      # w/o thought: the curriculum without thoughts
    NAME=mini-more run prosqa pause $curric           # pause tokens: 4 <pause> tokens, then the answer
    NAME=mini-more run prosqa icot
    python analysis.py --ckpt out/mini-y-coconut/best.pt --valid_file data/prosqa-mini/valid.json --ks 0,1,2,3,4 \
        --out_dir figures/mini-analysis
    # a learned stop head on top of Y, trained where the number of thoughts varies
    FLAGS="--init out/mini-y-coconut/best.pt $data --limit_train 4000 --epochs 7"
    NAME=mini-stop run prosqa coconut --stop_head --no_pad_latent --max_latent_stage 4 --stage0_epochs 0 --epochs_per_stage 1
    ;;
table)
    python table.py
    ;;
figures)
    python curves.py out/prosqa-coconut out/prosqa-cot --out figures/prosqa_curves.png \
        --title "ProsQA validation accuracy (from scratch)"
    ;;
*)
    sed -n '2,19p' "$0"; exit 2
    ;;
esac
echo "all done: $1"
