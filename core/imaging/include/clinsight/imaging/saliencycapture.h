#pragma once
// The frame a clinician saw, with the Grad-CAM heatmap blended over it in the
// workstation's colours (jet, transparent where the map is ~0) and a caption
// burned into a band below the image, as an RGB frame: the pixels of the
// secondary capture sent back to the PACS. Reentrant.
#include "clinsight/foundation/error.h"
#include "clinsight/imaging/frame.h"
#include "clinsight/imaging/heatmap.h"

#include <QStringList>
#include <vector>

namespace cs {

// map: over this frame (its frame size must be the frame's), sampled at full resolution.
// caption: lines of printable ASCII (others are replaced by '?'); opacity 0..1.
Result<DisplayFrame> composeSaliencyCapture(const DisplayFrame &frame, const HeatmapGrid &map, const QStringList &caption,
                                            double opacity = 0.5);

} // namespace cs
