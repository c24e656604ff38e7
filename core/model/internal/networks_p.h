#pragma once
// Private: the hybrid model's networks (LibTorch). Included only by the
// LibTorch translation units of model/ and training/ (training builds them).
#include "torch_p.h"

#include "clinsight/imaging/frame.h"
#include "clinsight/model/imagepreprocessing.h"

namespace cs::nets {

constexpr int kImageSize = 28;        // PneumoniaMNIST resolution
constexpr int kImageFeatures = 64;
constexpr int kFusionHidden = 32;

// CNN on a 1x28x28 radiograph -> 64-d feature (global average pool of the
// last convolution, which Grad-CAM explains) -> pneumonia logit.
struct ImageNetImpl : torch::nn::Module {
    ImageNetImpl();
    // Returns {feature, logit}; lastConv receives the last conv activation (before pooling).
    std::pair<torch::Tensor, torch::Tensor> forward(const torch::Tensor &x, torch::Tensor *lastConv = nullptr);
    torch::nn::Sequential block1{nullptr}, block2{nullptr}, block3{nullptr};
    torch::nn::Dropout dropout{nullptr};
    torch::nn::Linear head{nullptr};
};
TORCH_MODULE(ImageNet);

// LSTM over the hourly features with causal additive attention: at hour t
// the context is sum_{s<=t} a_ts h_s, a_t = softmax_{s<=t}(v . tanh(W h_s)).
// Feature at t = [context_t, h_t] (2 x hidden) -> sepsis logit at t.
struct VitalsNetImpl : torch::nn::Module {
    VitalsNetImpl(int inputFeatures, int hidden);
    int featureSize() const { return 2 * hidden; }  // attention context + hidden state
    // x: (B, T, F), lengths: real length of each sequence.
    // Returns {features (B,T,128), logits (B,T)}; attention (B,T,T) if requested.
    std::pair<torch::Tensor, torch::Tensor> forward(const torch::Tensor &x, torch::Tensor *attention = nullptr);
    torch::nn::LSTM lstm{nullptr};
    torch::nn::Linear attnW{nullptr}, attnV{nullptr};
    torch::nn::Dropout dropout{nullptr};
    torch::nn::Linear head{nullptr};
    int inputFeatures, hidden;
};
TORCH_MODULE(VitalsNet);

// Concatenated branch features -> fully connected -> hybrid logit.
struct FusionNetImpl : torch::nn::Module {
    explicit FusionNetImpl(int vitalsFeatures);
    torch::Tensor forward(const torch::Tensor &imageFeature, const torch::Tensor &vitalsFeature);
    torch::nn::Linear fc1{nullptr}, fc2{nullptr};
    torch::nn::Dropout dropout{nullptr};
};
TORCH_MODULE(FusionNet);

// The image branch's input, built the same way in training and at the
// bedside: thumbnailPixels() (grey, 28x28, area resize, /255), then
// (x - mean) / std with the statistics stored in the bundle.
inline torch::Tensor imageInput(const std::vector<const DisplayFrame *> &frames, double mean, double sd,
                                const torch::Device &dev)
{
    auto t = torch::empty({int64_t(frames.size()), 1, kImageSize, kImageSize});
    for (size_t k = 0; k < frames.size(); ++k) {
        const auto px = thumbnailPixels(*frames[k], kImageSize);
        auto row = torch::from_blob(const_cast<float *>(px.data()), {1, kImageSize, kImageSize}).clone();
        t[int64_t(k)] = (row - mean) / sd;
    }
    return t.to(dev);
}

// Implementations are header-inline so both torch TUs share one definition.
inline torch::nn::Sequential convBlock(int in, int out, bool pool)
{
    torch::nn::Sequential s(
        torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, 3).padding(1).bias(false)),
        torch::nn::BatchNorm2d(out), torch::nn::ReLU(),
        torch::nn::Conv2d(torch::nn::Conv2dOptions(out, out, 3).padding(1).bias(false)),
        torch::nn::BatchNorm2d(out), torch::nn::ReLU());
    if (pool) s->push_back(torch::nn::MaxPool2d(2));
    return s;
}

inline ImageNetImpl::ImageNetImpl()
{
    block1 = register_module("block1", convBlock(1, 16, true));    // 28 -> 14
    block2 = register_module("block2", convBlock(16, 32, true));   // 14 -> 7
    block3 = register_module("block3", convBlock(32, kImageFeatures, false)); // 7x7, explained by Grad-CAM
    dropout = register_module("dropout", torch::nn::Dropout(0.3));
    head = register_module("head", torch::nn::Linear(kImageFeatures, 1));
}

inline std::pair<torch::Tensor, torch::Tensor> ImageNetImpl::forward(const torch::Tensor &x, torch::Tensor *lastConv)
{
    auto a = block3->forward(block2->forward(block1->forward(x)));
    if (lastConv) *lastConv = a;
    auto feature = a.mean({2, 3});
    auto logit = head->forward(dropout->forward(feature)).squeeze(1);
    return {feature, logit};
}

inline VitalsNetImpl::VitalsNetImpl(int f, int h) : inputFeatures(f), hidden(h)
{
    lstm = register_module("lstm", torch::nn::LSTM(torch::nn::LSTMOptions(f, h).batch_first(true)));
    attnW = register_module("attnW", torch::nn::Linear(h, 32));
    attnV = register_module("attnV", torch::nn::Linear(torch::nn::LinearOptions(32, 1).bias(false)));
    dropout = register_module("dropout", torch::nn::Dropout(0.3));
    head = register_module("head", torch::nn::Linear(2 * h, 1));
}

inline std::pair<torch::Tensor, torch::Tensor> VitalsNetImpl::forward(const torch::Tensor &x, torch::Tensor *attention)
{
    auto h = std::get<0>(lstm->forward(x));                       // (B,T,H)
    const auto T = h.size(1);
    auto e = attnV->forward(torch::tanh(attnW->forward(h))).squeeze(2); // (B,T) score of each hour
    // causal mask: row t may attend to s <= t only
    auto mask = torch::ones({T, T}, torch::TensorOptions().dtype(torch::kBool).device(x.device())).triu(1);
    auto scores = e.unsqueeze(1).expand({e.size(0), T, T}).masked_fill(mask, -1e9);
    auto a = torch::softmax(scores, 2);                            // (B,T,T)
    if (attention) *attention = a;
    auto context = torch::bmm(a, h);                               // (B,T,H)
    auto feature = torch::cat({context, h}, 2);                    // (B,T,2H)
    auto logit = head->forward(dropout->forward(feature)).squeeze(2);
    return {feature, logit};
}

inline FusionNetImpl::FusionNetImpl(int vitalsFeatures)
{
    fc1 = register_module("fc1", torch::nn::Linear(kImageFeatures + vitalsFeatures, kFusionHidden));
    fc2 = register_module("fc2", torch::nn::Linear(kFusionHidden, 1));
    dropout = register_module("dropout", torch::nn::Dropout(0.3));
}

inline torch::Tensor FusionNetImpl::forward(const torch::Tensor &img, const torch::Tensor &vit)
{
    return fc2->forward(dropout->forward(torch::relu(fc1->forward(torch::cat({img, vit}, 1))))).squeeze(1);
}

} // namespace cs::nets
