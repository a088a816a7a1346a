#!/bin/bash -eu
# OSS-Fuzz build script: the fuzzers are built exactly as for ClusterFuzzLite (one source of truth).
exec "$SRC/h11spec/.clusterfuzzlite/build.sh"
