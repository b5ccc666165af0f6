#!/usr/bin/env bash
# ctest wrapper for intel_shared.py (skips when the shared threat intel is absent).
set -uo pipefail
shared=${BEACONWATCH_SHARED:-${BW_SHARED_DEFAULT:-$BW_SOURCE_DIR/../shared}}
if [ ! -d "$shared/intel/threat_intel_iocs" ] || [ ! -d "$shared/intel/stix_misp_samples" ]; then
  echo "SKIP: intel/threat_intel_iocs or intel/stix_misp_samples not found under $shared (set BEACONWATCH_SHARED)"
  exit 77
fi
exec python3 "$BW_SOURCE_DIR/tests/corpus/intel_shared.py" "$BW_BUILD_DIR/beaconwatch" "$shared"
