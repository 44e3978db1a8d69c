#!/usr/bin/env bash
# Debian packages the tests need: chromium + chromedriver (selenium tests and the latency benchmark), xvfb and the
# X/GL libraries Qt WebEngine needs (the --native window test), and fonts for the synthetic receipt generator.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends chromium chromium-driver xvfb xauth \
    libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxkbcommon-x11-0 libegl1 libgl1 \
    fonts-dejavu-core fonts-liberation2 fonts-freefont-ttf fonts-noto-mono
