"""Running `beaconwatch scan` from the corpus tests: one parsed record per message."""
import json
import subprocess
import sys


def scan(binary, path, *options):
    """Scans path (-j 2, JSON lines) and returns the records; exits on a crash or internal error."""
    out = subprocess.run([binary, "scan", "-q", "-j", "2", "--fail-on", "targeted_beacon",
                          *options, path], stdout=subprocess.PIPE, check=False)
    if out.returncode not in (0, 1):
        sys.exit(f"FAIL: scan of {path} exited {out.returncode}")
    return [json.loads(line) for line in out.stdout.decode("utf-8").splitlines()]
