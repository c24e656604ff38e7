#pragma once
// Private: the one way core includes LibTorch, and the precompiled header of
// the LibTorch translation units (model/ and training/ share it). Qt's `slots` macro breaks
// LibTorch headers, so it is saved and removed around them.
#pragma push_macro("slots")
#undef slots
#include <torch/torch.h>
#include <torch/version.h>
#pragma pop_macro("slots")
