#pragma once
// The vitals network's layouts (core/model/internal/networks_p.h builds them),
// as training chooses them and manifests name them ("vitals.layout"). Plain C++.
#include <QString>
#include <optional>

namespace cs {

enum class VitalsLayout {
    Additive,   // lstm-additive-attention-v1: the risk reads [context_t, h_t]; a manifest without vitals.layout has it
    Query,      // lstm-query-attention-context-v2: the risk reads only the attention context, queried by hour t
};

QString vitalsLayoutName(VitalsLayout layout);
// nullopt for a name this build does not know.
std::optional<VitalsLayout> vitalsLayoutFromName(const QString &name);
// The names this build knows, for messages.
QString knownVitalsLayouts();

} // namespace cs
