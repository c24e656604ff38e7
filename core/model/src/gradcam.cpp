// Grad-CAM for the image branch, and the tests of its faithfulness
// (explanations.h). A LibTorch translation unit (uses the model's
// precompiled torch header).
#include "gradcam_p.h"
#include "hybridmodel_p.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

namespace cs {

GradCamResult gradCam(nets::ImageNet &net, const torch::Tensor &x)
{
    // Grad-CAM needs autograd, whatever guard the caller holds; only the gradient of
    // the logit with respect to the explained activation is computed (not the
    // weights' gradients a training backward pass would fill).
    torch::AutoGradMode grad(true);
    torch::Tensor conv;
    auto [feature, logit] = net->forward(x, &conv);
    const auto dConv = torch::autograd::grad({logit.sum()}, {conv})[0];
    auto weights = dConv.mean({2, 3}, true);                      // (1,C,1,1)
    auto cam = torch::relu((weights * conv).sum(1, true)).detach();  // (1,1,h,w) on the last conv's grid
    const float mx = cam.max().item<float>();
    if (mx > 0) cam = cam / mx;
    GradCamResult r;
    r.gridWidth = int(conv.size(3));
    r.gridHeight = int(conv.size(2));
    auto g = cam.squeeze().contiguous().to(torch::kCPU);
    r.grid.assign(g.data_ptr<float>(), g.data_ptr<float>() + g.numel());
    r.feature = feature.detach();
    r.logit = logit.detach();
    return r;
}

Result<ImageExplanationCheck> HybridModel::checkImageExplanation(const DisplayFrame &frame, std::uint64_t seed, PatchFill patchFill,
                                                                 int steps) const
{
    if (frame.width <= 0 || frame.height <= 0)
        return makeError(Error::Code::Invalid, {}, {}, QStringLiteral("empty frame"));
    steps = std::max(1, steps);
    ImageExplanationCheck c;
    std::lock_guard<std::mutex> lock(d->mutex);
    try {
        const auto x = d->imageTensor({&frame});
        const GradCamResult cam = gradCam(d->image, x);
        const int gw = cam.gridWidth, gh = cam.gridHeight, G = gw * gh;
        c.gridWidth = gw;
        c.gridHeight = gh;
        // Grad-CAM order (highest first, the earlier cell first on ties) and the seed's random order.
        std::vector<int> salient(static_cast<size_t>(G)), random(static_cast<size_t>(G));
        std::iota(salient.begin(), salient.end(), 0);
        std::iota(random.begin(), random.end(), 0);
        std::stable_sort(salient.begin(), salient.end(), [&](int a, int b) { return cam.grid[size_t(a)] > cam.grid[size_t(b)]; });
        std::mt19937_64 rng(seed);
        std::shuffle(random.begin(), random.end(), rng);
        // One grid mask per variant (1 keep, 0 hide), in this order: deletion, insertion,
        // random deletion, random insertion (steps + 1 each), then the two 20% masks.
        const int64_t P = steps + 1, B = 4 * P + 2;
        auto masks = torch::ones({B, 1, gh, gw});
        auto acc = masks.accessor<float, 4>();
        auto setCells = [&](int64_t row, const std::vector<int> &order, int n, float value) {
            for (int i = 0; i < n; ++i) acc[row][0][order[size_t(i)] / gw][order[size_t(i)] % gw] = value;
        };
        for (int64_t k = 0; k < P; ++k) {
            const int n = int(std::lround(double(k) * G / steps));
            setCells(k, salient, n, 0.f);
            for (int i = 0; i < G; ++i) acc[P + k][0][i / gw][i % gw] = 0.f;
            setCells(P + k, salient, n, 1.f);
            setCells(2 * P + k, random, n, 0.f);
            for (int i = 0; i < G; ++i) acc[3 * P + k][0][i / gw][i % gw] = 0.f;
            setCells(3 * P + k, random, n, 1.f);
        }
        const int hidden = int(std::lround(kHiddenFraction * G));
        setCells(4 * P, salient, hidden, 0.f);
        setCells(4 * P + 1, random, hidden, 0.f);
        // Cells to network pixels (nearest): 0 in the normalised input is the training mean grey.
        auto full = torch::nn::functional::interpolate(masks, torch::nn::functional::InterpolateFuncOptions()
                                                                  .size(std::vector<int64_t>{x.size(2), x.size(3)})
                                                                  .mode(torch::kNearest)).to(d->device);
        torch::Tensor fill;
        switch (patchFill) {
        case PatchFill::Blurred: {
            namespace F = torch::nn::functional;
            const auto box = F::AvgPool2dFuncOptions(31).stride(1).padding(15).count_include_pad(false);
            fill = F::avg_pool2d(F::avg_pool2d(x, box), box);
            break;
        }
        case PatchFill::MeanGrey: fill = torch::zeros_like(x); break;
        case PatchFill::Darkest: fill = torch::full_like(x, x.min().item<float>()); break;
        }
        std::vector<double> risk, logit;
        {
            torch::NoGradGuard ng;
            for (int64_t s = 0; s < B; s += 16) {
                const int64_t e = std::min(B, s + 16);
                auto m = full.slice(0, s, e);
                auto logits = d->image->forward(x * m + fill * (1 - m)).second.to(torch::kCPU).contiguous();
                for (int64_t i = 0; i < logits.numel(); ++i) {
                    logit.push_back(logits[i].item<double>());
                    risk.push_back(d->imageCal.apply(logit.back()));
                }
            }
        }
        auto curve = [&](int64_t from) { return std::vector<double>(risk.begin() + from, risk.begin() + from + P); };
        c.deletion = curve(0);
        c.insertion = curve(P);
        c.randomDeletion = curve(2 * P);
        c.randomInsertion = curve(3 * P);
        c.logit = cam.logit.item<double>();
        c.risk = d->imageCal.apply(c.logit);
        c.salientHiddenLogit = logit[size_t(4 * P)];
        c.randomHiddenLogit = logit[size_t(4 * P + 1)];
        c.salientHiddenRisk = risk[size_t(4 * P)];
        c.randomHiddenRisk = risk[size_t(4 * P + 1)];
        c.deletionAuc = curveArea(c.deletion);
        c.insertionAuc = curveArea(c.insertion);
        c.randomDeletionAuc = curveArea(c.randomDeletion);
        c.randomInsertionAuc = curveArea(c.randomInsertion);
        // Model randomisation: the same architecture, freshly initialised (one fixed seed per model).
        if (!d->randomImage) {
            torch::manual_seed(2018);
            d->randomImage = nets::ImageNet();
            d->randomImage->to(d->device);
            d->randomImage->eval();
        }
        const GradCamResult rnd = gradCam(d->randomImage, x);
        c.randomizationRankCorrelation = spearmanCorrelation(cam.grid, rnd.grid);
    } catch (const std::exception &e) {
        return makeError(Error::Code::Internal, {}, {}, QString::fromUtf8(e.what()).section('\n', 0, 0));
    }
    return c;
}

} // namespace cs
