#pragma once
// DIMSE services against a PACS node, through DCMTK's dcmnet (kept inside the
// .cpp files): C-ECHO, C-FIND (study and series level, Study Root), retrieval
// of a study by C-MOVE to our own storage SCP or by C-GET on one association,
// and C-STORE of files we wrote (SR, secondary capture). Every error names the
// node (PacsNode::label) as the file and the DIMSE step as the field.
// Reentrant: each call opens and closes its own association(s).
#include "clinsight/foundation/job.h"
#include "clinsight/pacs/pacsnode.h"
#include "clinsight/pacs/query.h"

#include <vector>

namespace cs {

Status dimseEcho(const PacsNode &node);

Result<std::vector<StudyMatch>> dimseFindStudies(const PacsNode &node, const StudyQuery &query, JobControl &control);

// C-FIND at series level: the series of one study.
Result<std::vector<SeriesMatch>> dimseFindSeries(const PacsNode &node, const QString &studyUid, JobControl &control);

enum class RetrieveMethod { Move, Get };

// Fetches one study into DEST/<StudyInstanceUID>/ (one file per SOP Instance
// UID). Instances arrive in DEST/.partial-<uid>-<random>/ first; only when the
// PACS reports success with no failed sub-operation and every reported instance
// arrived is that folder renamed into place (a study already there is replaced
// only then). Anything less is an error naming the node, the step and the
// counts, and nothing already in DEST is touched.
// Move: our storage SCP listens on node.localPort (AE node.callingAeTitle) for
// the PACS' sub-associations; the PACS must know that AE title.
Result<RetrievedStudy> dimseRetrieveStudy(const PacsNode &node, const QString &studyUid, const QString &destDir,
                                          RetrieveMethod method, JobControl &control);

// C-STORE of each file to the node; stops at the first refusal (status named).
Status dimseStoreFiles(const PacsNode &node, const QStringList &files, JobControl &control);

} // namespace cs
