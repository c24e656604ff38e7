#pragma once
// Private: Grad-CAM (Selvaraju et al. 2017) on the image network's last
// convolution: weights = spatial mean of d logit / d activation, map =
// ReLU(sum_c weight_c * activation_c) on the layer's grid, scaled to 0..1
// (laid over the frame and sampled where shown by heatmap.h). Needs autograd;
// runs under the model's mutex.
#include "networks_p.h"

#include <vector>

namespace cs {

struct GradCamResult {
    torch::Tensor feature, logit;   // of the forward pass the map explains (feature detached)
    std::vector<float> grid;        // gridHeight x gridWidth, row-major, 0..1
    int gridWidth = 0, gridHeight = 0;   // the explained layer's grid
};

GradCamResult gradCam(nets::ImageNet &net, const torch::Tensor &input);

} // namespace cs
