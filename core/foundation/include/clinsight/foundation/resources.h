#pragma once
// Where ClinSight finds what it ships with: the model bundle, the demo cohort
// the treatment rules and the public keys trusted to sign model bundles. One search order for all three:
//   1. an explicit override (CLINSIGHT_MODEL_DIR, for the model only);
//   2. the installed data folder beside the program (<bin>/../share/clinsight);
//   3. the configured install data folder (CLINSIGHT_DATADIR, e.g. /usr/share/clinsight);
//   4. development builds only: the source tree named by the build tree's
//      clinsight-dev.json (written by CMake at configure time, never installed),
//      so no binary carries a path of the machine that built it.
// Reentrant.
#include <QString>

namespace cs {

enum class Resource { ModelBundle, DemoCohort, TreatmentRules, TrustedKeys };

struct ResourceLocation {
    QString path;          // absolute; the last candidate when none exists
    bool found = false;
    QString origin;        // "override", "installed", "development source tree", "not found"
};

ResourceLocation locateResource(Resource r);
QString resourcePath(Resource r);   // locateResource(r).path
// The source tree of a development build ("" when running installed).
QString developmentSourceDir();

} // namespace cs
