#!/usr/bin/env bash
# Retrains the shipped model bundle exactly as it was made, from the repository
# root, with the public data of ../shared/data (see DATA_LICENSES.md):
#   bash scripts/train-model.sh BUILD_DIR OUT_DIR
# Two steps so a laptop can stop between them: the image branch (about an hour
# on 2 CPU cores, kept as OUT_DIR/checkpoints/image.*), then everything else
# with --resume (which reuses that checkpoint only when settings and data match).
# With IMAGE_FROM=BUNDLE (e.g. models/clinsight-hybrid) the image branch of that
# signed bundle is reused instead (same images, seed and split, checked) and only
# the vitals branch, fusion, calibration, baselines and evaluation are trained
# (the manifest's image.training.reused_from_bundle then names that bundle).
# Copy OUT_DIR's bundle files (not checkpoints/) into models/clinsight-hybrid.
# The bundle is signed with the secret key file named by CLINSIGHT_SIGNING_KEY
# (never in the repository); without it the bundle is left unsigned and refused.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:?build folder}; out=${2:?output folder}
cli="$build/app/clinsight-cli"
args=(--images ../shared/data/cxr/kermany224/train --vitals ../shared/data/vitals/physionet2019/training_setB
      --out "$out" --vitals-hidden 128 --vitals-epochs 12 --vitals-layout query
      --images-source "Kermany, Zhang, Goldbaum 2018, Labeled Optical Coherence Tomography (OCT) and Chest X-Ray Images for Classification, Mendeley Data v2 (official training split at 224 px); CC BY 4.0"
      --vitals-source "PhysioNet/CinC Challenge 2019, Early prediction of sepsis from clinical data, training set B (Reyna et al., Crit Care Med 2020); CC BY 4.0")
if [ -n "${IMAGE_FROM:-}" ]; then
  "$cli" train "${args[@]}" --image-from "$IMAGE_FROM"
else
  "$cli" train "${args[@]}" --image-only --resume   # returns at once when the checkpoint matches
  "$cli" train "${args[@]}" --resume
fi
