#!/usr/bin/env bash
# Install the project into .venv and start the dashboard on its built-in defaults (bundled samples + checkpoint).
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
. .venv/bin/activate
python -m pip install --quiet --upgrade pip
python -m pip install --quiet torch==2.13.0
python -m pip install --quiet -e .
exec python main.py "$@"
