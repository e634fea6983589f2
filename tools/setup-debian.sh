#!/usr/bin/env bash
# Installs everything Junipr Explorer needs to build, test and benchmark on Debian 12.
set -euo pipefail
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends \
  build-essential meson ninja-build pkg-config \
  libopenblas-dev libhdf5-dev hdf5-tools libjson-c-dev libzip-dev \
  libcairo2-dev libpango1.0-dev fonts-dejavu-core \
  libfastjet-dev \
  openmpi-bin libopenmpi-dev \
  python3 python3-numpy python3-h5py python3-pandas python3-tables \
  libgtk-4-dev libadwaita-1-dev libglib2.0-dev-bin desktop-file-utils appstream gettext \
  xvfb xauth dbus-x11 at-spi2-core python3-pyatspi imagemagick xdotool \
  clang libclang-rt-14-dev llvm \
  >/dev/null
echo "setup-debian: packages installed"
