"""train.py with the curriculum shifted to start at a later stage (to continue one stage for longer).

    python results/2026-12-02-cpu-hops-mixing/from_stage.py FIRST_STAGE TRAIN.PY-FLAGS...

With --stage0_epochs 0 train.py's first epochs are stage 1; here they are stage FIRST_STAGE and
every later stage moves up by the same amount (the cap, the final stage, stays where it was).
Used with --init CHECKPOINT to give one stage more epochs than the first run gave it.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
import data  # noqa: E402
import train  # noqa: E402


def shifted_schedule(first_stage, plain=data.stage_for_epoch):
    """data.stage_for_epoch with every latent stage moved up by first_stage - 1."""
    def stage_for_epoch(epoch, epochs_per_stage, max_latent_stage, stage0_epochs=None):
        stage = plain(epoch, epochs_per_stage, max_latent_stage, stage0_epochs)
        return min(stage + first_stage - 1, max_latent_stage + 1) if stage > 0 else 0
    return stage_for_epoch


if __name__ == "__main__":
    data.stage_for_epoch = shifted_schedule(int(sys.argv[1]))
    train.main(sys.argv[2:])
