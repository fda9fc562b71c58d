#!/usr/bin/env bash
# check-layers.sh: the library's include arrows point one way (docs/architecture.md).
# Layers, lowest first; a file in src/lib/LAYER/ or include/rspg/LAYER/ may include headers
# of its own layer and of the layers before it, never of a later one.
set -euo pipefail
cd "$(dirname "$0")/.."
LAYERS=(base asn1 crypto rsp profile x509 sgp02 issue check es9 report flow)
rank() { local i; for i in "${!LAYERS[@]}"; do [ "${LAYERS[$i]}" = "$1" ] && { echo "$i"; return; }; done; echo -1; }
bad=0
for dir in src/lib include/rspg; do
    for layer_dir in "$dir"/*/; do
        layer=$(basename "$layer_dir")
        r=$(rank "$layer")
        if [ "$r" -lt 0 ]; then echo "check-layers: $layer_dir is not a known layer" >&2; bad=1; continue; fi
        while IFS=: read -r file line inc; do
            to=$(sed -E 's@.*#include "(rspg/)?([a-z0-9_]+)/.*@\2@' <<<"$inc")
            tr=$(rank "$to")
            if [ "$tr" -gt "$r" ]; then
                echo "check-layers: $file:$line: $layer includes a header of the higher layer $to" >&2
                bad=1
            fi
        done < <(grep -HnE '#include "(rspg/)?[a-z0-9_]+/' "$layer_dir"*.[ch] 2>/dev/null || true)
    done
done
[ "$bad" = 0 ] && echo "check-layers: every include points down (${LAYERS[*]})"
exit "$bad"
