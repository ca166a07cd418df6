"""Runs one command and reports its wall time and peak memory, for the xtask benchmarks.

Usage: measure.py OUT_JSON COMMAND [ARG...]

The command's stdout and stderr pass through. OUT_JSON gets {"rc", "wall_s", "max_rss_kib"}:
the peak resident set of the command (and any children it waited for), from
getrusage(RUSAGE_CHILDREN) in this otherwise idle wrapper process, so one command per wrapper.
"""
import json
import resource
import subprocess
import sys
import time

out, cmd = sys.argv[1], sys.argv[2:]
start = time.perf_counter()
rc = subprocess.run(cmd).returncode
wall = time.perf_counter() - start
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KiB on Linux
json.dump({"rc": rc, "wall_s": wall, "max_rss_kib": rss}, open(out, "w"))
sys.exit(rc)
