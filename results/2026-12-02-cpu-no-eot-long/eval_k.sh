#!/usr/bin/env bash
# Validation accuracy of each epoch checkpoint of a run with k = 0 to 4 thoughts (the rest of the
# chain in language): bash results/2026-12-02-cpu-no-eot-long/eval_k.sh out/ne-Ball 3 4 5
# prints one line per epoch: epoch, then the accuracy (%) with k = 0, 1, 2, 3, 4 thoughts.
run=$1; shift
for e in "$@"; do
  line="epoch $e"
  for k in 0 1 2 3 4; do
    acc=$(python train.py --eval_only --ckpt $run/epoch$e.pt --n_latent $k --device cpu 2>&1 |
          sed -n 's/.*accuracy \([0-9.]*\) .*/\1/p')
    line="$line  k=$k $(python -c "print(f'{100 * $acc:.1f}')")"
  done
  echo "$line"
done
