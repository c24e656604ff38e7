#pragma once
// Private: the hybrid model's networks (LibTorch). Included only by the
// LibTorch translation units of model/ and training/ (training builds them).
#include "torch_p.h"

#include "clinsight/imaging/frame.h"
#include "clinsight/model/imagepreprocessing.h"
#include "clinsight/model/vitalslayout.h"

namespace cs::nets {

constexpr int kImageSize = 224;       // Kermany chest radiographs as distributed at 224 px
constexpr int kImageFeatures = 128;
constexpr int kFusionHidden = 32;
// Names the image network's layout; a bundle written for another layout is refused.
constexpr const char *kImageArchitecture = "cxr-resnet224-v1";

// Residual block: conv3x3(stride)-BN-ReLU-conv3x3-BN plus the input (a
// strided 1x1 conv-BN where the shape changes), then ReLU.
struct ResBlockImpl : torch::nn::Module {
    ResBlockImpl(int in, int out, int stride);
    // macs: when given, receives the multiply-accumulates of one image.
    torch::Tensor forward(const torch::Tensor &x, int64_t *macs = nullptr);
    torch::nn::Conv2d conv1{nullptr}, conv2{nullptr}, proj{nullptr};
    torch::nn::BatchNorm2d bn1{nullptr}, bn2{nullptr}, projBn{nullptr};
};
TORCH_MODULE(ResBlock);

// CNN for a 1x224x224 radiograph: 7x7/2 stem and 3x3/2 max-pool (224 -> 56),
// residual stages at 56 (32 ch), 28 (64 ch) and 14 (2 blocks, 128 ch); the
// last 14x14 activation is what Grad-CAM explains; global average pool ->
// 128-d feature -> dropout -> linear -> pneumonia logit.
struct ImageNetImpl : torch::nn::Module {
    ImageNetImpl();
    // Returns {feature, logit}; lastConv receives the last conv activation (before pooling).
    std::pair<torch::Tensor, torch::Tensor> forward(const torch::Tensor &x, torch::Tensor *lastConv = nullptr,
                                                    int64_t *macs = nullptr);
    torch::nn::Conv2d stem{nullptr};
    torch::nn::BatchNorm2d stemBn{nullptr};
    ResBlock layer1{nullptr}, layer2{nullptr}, layer3{nullptr}, layer4{nullptr};
    torch::nn::Dropout dropout{nullptr};
    torch::nn::Linear head{nullptr};
};
TORCH_MODULE(ImageNet);

// The vitals network's two layouts (manifest "vitals.layout"; a bundle without one is the first).
//  additive: LSTM, causal additive attention a_t = softmax_{s<=t}(v . tanh(W h_s)) (one score per hour, the same
//            for every t), context_t = sum_{s<=t} a_ts h_s; the logit reads [context_t, h_t], so the last hidden
//            state can carry the risk past the attention.
//  query:    LSTM, causal scaled dot-product attention whose query is the hour being scored, with a learned
//            recency penalty m = softplus(r) per hour of distance (ALiBi-like; starts at 0.25/h),
//            a_t = softmax_{s<=t}((Q h_t) . (K h_s) / sqrt(32) - m (t - s)); the logit reads context_t ONLY, so the risk at t is
//            computed from the attended hours' states and nothing else: what the attention band shows is what the
//            risk was made from. In training, dropout acts on those states (keys, queries and values).
// Both give the fusion head [context_t, h_t] (2 x hidden).
// The layouts are cs::VitalsLayout (clinsight/model/vitalslayout.h, with the names manifests use).
constexpr int kAttentionDim = 32;
using cs::VitalsLayout;

struct VitalsNetImpl : torch::nn::Module {
    VitalsNetImpl(int inputFeatures, int hidden, VitalsLayout layout = VitalsLayout::Additive);
    int featureSize() const { return 2 * hidden; }  // attention context + hidden state
    // x: (B, T, F), lengths: real length of each sequence.
    // Returns {features (B,T,2H), logits (B,T)}; attention (B,T,T) if requested.
    std::pair<torch::Tensor, torch::Tensor> forward(const torch::Tensor &x, torch::Tensor *attention = nullptr);
    torch::nn::LSTM lstm{nullptr};
    torch::nn::Linear attnW{nullptr}, attnV{nullptr};   // additive
    torch::nn::Linear attnQ{nullptr}, attnK{nullptr};   // query
    torch::Tensor recency;                              // query: softplus(recency) = penalty per hour of distance
    torch::nn::Dropout dropout{nullptr};
    torch::nn::Linear head{nullptr};
    int inputFeatures, hidden;
    VitalsLayout layout;
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

// The image branch's pixels, built the same way in training and at the
// bedside: networkInputPixels() (grey, 224x224, see imagepreprocessing.h),
// one (N,1,224,224) tensor of values 0..1 on the CPU.
inline torch::Tensor imagePixels(const std::vector<const DisplayFrame *> &frames)
{
    // Frames are reduced in parallel on LibTorch's intra-op threads (a full
    // radiograph's area reduction is milliseconds; a batch of 256 is most of
    // the batch's time on a fast GPU), each straight into its slot.
    auto t = torch::empty({int64_t(frames.size()), 1, kImageSize, kImageSize});
    float *dst = t.data_ptr<float>();
    constexpr std::size_t plane = std::size_t(kImageSize) * kImageSize;
    at::parallel_for(0, int64_t(frames.size()), 1, [&](int64_t begin, int64_t end) {
        for (int64_t k = begin; k < end; ++k) {
            const auto px = networkInputPixels(*frames[std::size_t(k)], kImageSize);
            std::copy(px.begin(), px.end(), dst + std::size_t(k) * plane);
        }
    });
    return t;
}

// (x - mean) / std with the statistics stored in the bundle.
inline torch::Tensor normalizeImage(const torch::Tensor &pixels, double mean, double sd) { return (pixels - mean) / sd; }

inline torch::Tensor imageInput(const std::vector<const DisplayFrame *> &frames, double mean, double sd,
                                const torch::Device &dev)
{
    return normalizeImage(imagePixels(frames), mean, sd).to(dev);
}

// Implementations are header-inline so both torch TUs share one definition.
inline torch::Tensor countedConv(torch::nn::Conv2d &c, const torch::Tensor &x, int64_t *macs)
{
    auto y = c->forward(x);
    if (macs) *macs += c->weight.numel() * y.size(2) * y.size(3);
    return y;
}

inline torch::nn::Conv2d conv(int in, int out, int k, int stride)
{
    return torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, k).stride(stride).padding(k / 2).bias(false));
}

inline ResBlockImpl::ResBlockImpl(int in, int out, int stride)
{
    conv1 = register_module("conv1", conv(in, out, 3, stride));
    bn1 = register_module("bn1", torch::nn::BatchNorm2d(out));
    conv2 = register_module("conv2", conv(out, out, 3, 1));
    bn2 = register_module("bn2", torch::nn::BatchNorm2d(out));
    if (in != out || stride != 1) {
        proj = register_module("proj", conv(in, out, 1, stride));
        projBn = register_module("projBn", torch::nn::BatchNorm2d(out));
    }
}

inline torch::Tensor ResBlockImpl::forward(const torch::Tensor &x, int64_t *macs)
{
    auto y = torch::relu(bn1->forward(countedConv(conv1, x, macs)));
    y = bn2->forward(countedConv(conv2, y, macs));
    auto shortcut = proj ? projBn->forward(countedConv(proj, x, macs)) : x;
    return torch::relu(y + shortcut);
}

inline ImageNetImpl::ImageNetImpl()
{
    stem = register_module("stem", conv(1, 24, 7, 2));                 // 224 -> 112
    stemBn = register_module("stemBn", torch::nn::BatchNorm2d(24));
    layer1 = register_module("layer1", ResBlock(24, 32, 1));            // 56 (after the max-pool)
    layer2 = register_module("layer2", ResBlock(32, 64, 2));            // 28
    layer3 = register_module("layer3", ResBlock(64, kImageFeatures, 2));  // 14
    layer4 = register_module("layer4", ResBlock(kImageFeatures, kImageFeatures, 1)); // 14x14, explained by Grad-CAM
    dropout = register_module("dropout", torch::nn::Dropout(0.3));
    head = register_module("head", torch::nn::Linear(kImageFeatures, 1));
}

inline std::pair<torch::Tensor, torch::Tensor> ImageNetImpl::forward(const torch::Tensor &x, torch::Tensor *lastConv,
                                                                     int64_t *macs)
{
    auto a = torch::relu(stemBn->forward(countedConv(stem, x, macs)));
    a = torch::max_pool2d(a, 3, 2, 1);
    a = layer1->forward(a, macs);
    a = layer2->forward(a, macs);
    a = layer3->forward(a, macs);
    a = layer4->forward(a, macs);
    if (lastConv) *lastConv = a;
    auto feature = a.mean({2, 3});
    auto logit = head->forward(dropout->forward(feature)).squeeze(1);
    if (macs) *macs += head->weight.numel();
    return {feature, logit};
}

inline VitalsNetImpl::VitalsNetImpl(int f, int h, VitalsLayout l) : inputFeatures(f), hidden(h), layout(l)
{
    lstm = register_module("lstm", torch::nn::LSTM(torch::nn::LSTMOptions(f, h).batch_first(true)));
    if (layout == VitalsLayout::Additive) {
        attnW = register_module("attnW", torch::nn::Linear(h, kAttentionDim));
        attnV = register_module("attnV", torch::nn::Linear(torch::nn::LinearOptions(kAttentionDim, 1).bias(false)));
    } else {
        attnQ = register_module("attnQ", torch::nn::Linear(torch::nn::LinearOptions(h, kAttentionDim).bias(false)));
        attnK = register_module("attnK", torch::nn::Linear(torch::nn::LinearOptions(h, kAttentionDim).bias(false)));
        recency = register_parameter("recency", torch::full({1}, std::log(std::exp(0.25) - 1.0)));   // softplus -> 0.25 per hour
    }
    dropout = register_module("dropout", torch::nn::Dropout(0.3));
    head = register_module("head", torch::nn::Linear(layout == VitalsLayout::Additive ? 2 * h : h, 1));
}

inline std::pair<torch::Tensor, torch::Tensor> VitalsNetImpl::forward(const torch::Tensor &x, torch::Tensor *attention)
{
    auto h = std::get<0>(lstm->forward(x));                       // (B,T,H)
    const auto T = h.size(1);
    // causal mask: row t may attend to s <= t only
    auto mask = torch::ones({T, T}, torch::TensorOptions().dtype(torch::kBool).device(x.device())).triu(1);
    torch::Tensor scores, values = h;
    if (layout == VitalsLayout::Additive) {
        auto e = attnV->forward(torch::tanh(attnW->forward(h))).squeeze(2); // (B,T) score of each hour
        scores = e.unsqueeze(1).expand({e.size(0), T, T});
    } else {
        values = dropout->forward(h);   // training only: the states the attention reads and the head sums are dropped out
        auto pos = torch::arange(T, torch::TensorOptions().dtype(torch::kFloat).device(x.device()));
        auto distance = (pos.unsqueeze(1) - pos.unsqueeze(0)).clamp_min(0);   // t - s, hours back
        scores = torch::bmm(attnQ->forward(values), attnK->forward(values).transpose(1, 2)) / std::sqrt(double(kAttentionDim))
                 - torch::softplus(recency) * distance;   // (B,T,T)
    }
    auto a = torch::softmax(scores.masked_fill(mask, -1e9), 2);   // (B,T,T)
    if (attention) *attention = a;
    auto context = torch::bmm(a, values);                          // (B,T,H)
    auto feature = torch::cat({context, h}, 2);                    // (B,T,2H)
    auto logit = head->forward(layout == VitalsLayout::Additive ? dropout->forward(feature) : context).squeeze(2);
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
