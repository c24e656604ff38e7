#pragma once
// Private: the one way core includes LibTorch, and the precompiled header of
// the LibTorch translation units (model/ and training/ share it). Qt's `slots` macro breaks
// LibTorch headers, so it is saved and removed around them.
#pragma push_macro("slots")
#undef slots
#include <torch/torch.h>
#include <torch/version.h>
#pragma pop_macro("slots")

namespace cs::nets {
// On CUDA, the same answers as on the CPU and from run to run: cuDNN's TF32
// convolutions (on by default on Ampere/Hopper; they keep 10 mantissa bits)
// and its non-deterministic or benchmark-chosen algorithms are switched off.
// Measured on an H100 with them on: image risks differed from the CPU's by up
// to 5.6e-4 on 500 radiographs, and two CUDA trainings by their weights.
inline void useReproducibleCudaNumerics()
{
    auto &ctx = at::globalContext();
    ctx.setAllowTF32CuDNN(false);
    ctx.setBenchmarkCuDNN(false);
    ctx.setDeterministicCuDNN(true);
    ctx.setDeterministicAlgorithms(true, /*warn_only=*/true);
}
} // namespace cs::nets
