// Grad-CAM for the image branch. A LibTorch translation unit (uses the
// model's precompiled torch header).
#include "gradcam_p.h"

namespace cs {

GradCamResult gradCam(nets::ImageNet &net, const torch::Tensor &x, int outWidth, int outHeight)
{
    // Grad-CAM needs autograd, whatever guard the caller holds.
    torch::AutoGradMode grad(true);
    torch::Tensor conv;
    auto [feature, logit] = net->forward(x, &conv);
    conv.retain_grad();
    net->zero_grad();
    logit.sum().backward();
    auto weights = conv.grad().mean({2, 3}, true);               // (1,C,1,1)
    auto cam = torch::relu((weights * conv).sum(1, true));        // (1,1,h,w) on the last conv's grid
    cam = torch::nn::functional::interpolate(cam, torch::nn::functional::InterpolateFuncOptions()
                                                      .size(std::vector<int64_t>{outHeight, outWidth})
                                                      .mode(torch::kBilinear).align_corners(false));
    const float mx = cam.max().item<float>();
    if (mx > 0) cam = cam / mx;
    cam = cam.squeeze().contiguous().to(torch::kCPU);
    GradCamResult r;
    r.gridWidth = int(conv.size(3));
    r.gridHeight = int(conv.size(2));
    r.width = outWidth;
    r.height = outHeight;
    r.map.assign(cam.data_ptr<float>(), cam.data_ptr<float>() + cam.numel());
    r.feature = feature.detach();
    r.logit = logit.detach();
    return r;
}

} // namespace cs
