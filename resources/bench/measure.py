"""Runs a command and prints how long it took from start to exit and its peak memory.

Usage: python3 measure.py CMD [ARG ...]
Prints one JSON line on stderr's last line: seconds (wall, process start to exit), userSeconds
(the child's user CPU time, every thread), peakMB (the child's maximum resident set, worker
threads included) and the exit status. The
command's own output passes through.
"""
import json
import resource
import subprocess
import sys
import time

t0 = time.perf_counter()
status = subprocess.call(sys.argv[1:])
seconds = time.perf_counter() - t0
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(
    json.dumps(
        {
            "seconds": round(seconds, 3),
            "userSeconds": round(usage.ru_utime, 3),
            "peakMB": round(usage.ru_maxrss / 1024),
            "status": status,
        }
    ),
    file=sys.stderr,
)
sys.exit(status)
