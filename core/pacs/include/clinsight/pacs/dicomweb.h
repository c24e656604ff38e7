#pragma once
// DICOMweb against a node's base URL, through QtNetwork: QIDO-RS study search,
// WADO-RS retrieval of a whole study (multipart/related, transfer syntax as
// stored), STOW-RS of files we wrote. The same contracts as dimse.h: errors
// name the node and the step, a retrieve is complete or it is not in place.
// Reentrant: each call makes its own network access manager on the calling
// thread and waits on a local event loop (never call it on the GUI thread).
#include "clinsight/foundation/job.h"
#include "clinsight/pacs/pacsnode.h"
#include "clinsight/pacs/query.h"

#include <QByteArray>
#include <vector>

namespace cs {

// GET {base}/studies?limit=1: the node answers DICOMweb.
Status dicomWebPing(const PacsNode &node);
Result<std::vector<StudyMatch>> dicomWebFindStudies(const PacsNode &node, const StudyQuery &query, JobControl &control);
// GET {base}/studies/{uid}/series.
Result<std::vector<SeriesMatch>> dicomWebFindSeries(const PacsNode &node, const QString &studyUid, JobControl &control);
Result<RetrievedStudy> dicomWebRetrieveStudy(const PacsNode &node, const QString &studyUid, const QString &destDir, JobControl &control);
Status dicomWebStoreFiles(const PacsNode &node, const QStringList &files, JobControl &control);

// Parsers, public so that malformed peers can be tested without a network.
// A QIDO-RS answer (application/dicom+json array of study objects).
Result<std::vector<StudyMatch>> parseQidoStudies(const QByteArray &json, const QString &nodeLabel);
Result<std::vector<SeriesMatch>> parseQidoSeries(const QByteArray &json, const QString &studyUid, const QString &nodeLabel);
// The parts of a multipart/related body, given the response's Content-Type.
Result<std::vector<QByteArray>> splitMultipart(const QByteArray &body, const QByteArray &contentType, const QString &nodeLabel);

} // namespace cs
