#!/usr/bin/env bash
# Install the project with its test extras into .venv and run the whole test suite (the README's test command).
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
. .venv/bin/activate
python -m pip install --quiet --upgrade pip
python -m pip install --quiet torch==2.13.0          # the CPU build from local disk, before anything can pull CUDA
python -m pip install --quiet -e ".[test]"
ruff check .
python -m pytest -q "$@"
