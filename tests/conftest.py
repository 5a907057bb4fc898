import sys
from pathlib import Path

# the tests import the project files (gpt2.py, data.py, ...) from the repository root
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
