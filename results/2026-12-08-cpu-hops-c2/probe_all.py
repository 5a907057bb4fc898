"""Which node of the path does each thought hold? A linear probe per thought and per node.

    python results/2026-12-08-cpu-hops-c2/probe_all.py CKPT TRAIN_JSON VALID_JSON N_THOUGHTS

The hops folder's probe_thoughts.py reads thought j against path[j-1], path[j] and path[j+1] (one
thought a hop); with two thoughts a hop, thought j may hold any node, so here every thought is
probed for every node from path[0] (the start) to path[N_THOUGHTS + 1] (at most path[4], the
answer), with that script's thoughts (2,000 training questions to fit, the validation questions to
score) and probes. Chance: 6.2%.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "2026-12-01-cpu-hops"))
from probe_thoughts import probe_accuracy, probe_data  # noqa: E402  (it adds the repository root)


def main(ckpt_path, train_path, valid_path, k):
    k = int(k)
    x_tr, p_tr, x_va, p_va = probe_data(ckpt_path, train_path, valid_path, k)
    n_nodes = p_va.size(1)
    print(f"{ckpt_path}: {k} thoughts, linear probes fitted on {len(x_tr)} training questions, "
          f"accuracy % on {len(x_va)} validation ones")
    print("thought | " + " | ".join(f"path[{i}]" for i in range(n_nodes)))
    for j in range(k):
        accs = [probe_accuracy(x_tr[:, j], p_tr[:, i], x_va[:, j], p_va[:, i]) for i in range(n_nodes)]
        print(f"{j + 1} | " + " | ".join(f"{100 * a:.1f}" for a in accs))


if __name__ == "__main__":
    if len(sys.argv) != 5:
        raise SystemExit("usage: " + __doc__.split("\n\n")[1].strip())
    main(*sys.argv[1:5])
