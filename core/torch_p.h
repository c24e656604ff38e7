#pragma once
// Private: the one way core includes LibTorch. Qt's `slots` macro breaks
// LibTorch headers, so it is saved and removed around them.
#pragma push_macro("slots")
#undef slots
#include <torch/torch.h>
#pragma pop_macro("slots")
