#pragma once
// Wires core to the window. The GUI thread never waits:
//  - the model bundle (hashed), the rules and the local database are opened in
//    the background while the window is already shown; a cohort asked for
//    before then is imported as soon as they are ready;
//  - the database lives on its own thread (ClinicalStoreWorker): an import is
//    one transaction, notes, review status and audit entries are written there
//    and their failures shown;
//  - frames are rendered by a FrameRenderer (latest request wins, bounded cache);
//  - long work runs as jobs, one current job per kind: starting one cancels the
//    previous of its kind, results of a superseded job are dropped, Cancel
//    cancels whatever runs, and closing cancels and returns promptly.
#include "clinsight/clinical/assessment.h"
#include "clinsight/clinical/treatmentrules.h"
#include "clinsight/dicom/dicom.h"
#include "clinsight/dicom/framerenderer.h"
#include "clinsight/model/hybridmodel.h"
#include "clinsight/foundation/protectedfile.h"
#include "clinsight/security/accounts.h"
#include "clinsight/storage/clinicalstoreworker.h"
#include "notespanel.h"
#include "worklistview.h"

#include <QObject>
#include <map>
#include <memory>
#include <optional>

namespace ui { class MainWindow; }
class HospitalLink;
class SessionGuard;
class SegmentationLink;

class Workstation : public QObject {
    Q_OBJECT
public:
    // session: the signed-in user (Keyring::signIn/create/demoSession) of session.databasePath.
    Workstation(ui::MainWindow *window, cs::security::Session session, QObject *parent = nullptr);
    ~Workstation() override;
    void openCohort(const QString &dir);
    void selectPatient(const QString &id);
    void openImage(const QString &path);   // a DICOM Segmentation goes to openSegmentation
    // A series in a folder (asked which when it holds several; the one with the most frames offered first),
    // slices decoded on demand; imageLoaded when shown (false: none, cancelled or unreadable).
    void openSeries(const QString &path);
    const std::optional<cs::SeriesFrames> &series() const { return m_series; }
    void openSegmentation(const QString &path);   // on the shown image if it belongs to it, else alone
    void openVitals(const QString &path);
    void cancelAll();
    // The shown patient's assessment, its saved notes and the model as a PDF (reportWritten when done).
    void exportReport(const QString &pdfPath);
    // A de-identified copy of the shown patient (DICOM PS3.15; deidentifiedexport.h) into an empty folder.
    // Images that may show burned-in text are left out unless allowBurnedIn (the window asks).
    void exportDeidentified(const QString &dir, bool allowBurnedIn = false);

    bool isReady() const { return m_modelLoaded && m_storeOpened; }
    const std::shared_ptr<const cs::HybridModel> &model() const { return m_model; }
    const std::optional<cs::PatientAssessment> &current() const { return m_current; }
    const cs::FrameRenderer &renderer() const { return m_renderer; }
    QString user() const;   // the signed-in account
    HospitalLink *hospital() const { return m_hospital; }
    SessionGuard *guard() const { return m_guard; }
    SegmentationLink *segmentation() const { return m_segLink; }

    enum class JobKind { Import, Patient, Image, Vitals, Tags, WhatIf };

signals:
    void ready();
    void auditChecked(bool intact);   // the database's audit chain verified after it opened
    void cohortLoaded(bool ok);
    void patientListed(const QString &id, int listed);   // one more patient of an import in progress, scored and listed
    void patientShown(bool ok);
    void noteSaved(bool ok);
    void imageLoaded(bool ok);
    void vitalsLoaded(bool ok);
    void frameShown(int frame);
    void whatIfShown(bool ok);
    void reportWritten(bool ok);
    void deidentifiedExported(int written, int refused, int failed);   // -1 written: not run

private:
    std::shared_ptr<cs::JobControl> startJob(JobKind kind);
    bool isCurrent(JobKind kind, const std::shared_ptr<cs::JobControl> &job) const;
    void finishJob(JobKind kind, const std::shared_ptr<cs::JobControl> &job);
    void maybeReady();
    void applyWindow(double center, double width);
    void showFrame(int frame);
    void requestFrame();
    void setImage(std::optional<cs::DicomImageSource> source);
    QStringList sliceCaption(int index) const;
    void showSeries(const cs::DicomSeriesInfo &series);
    // In an image job's reply: true when it is the current job and succeeded; otherwise the failure is
    // shown (unless a cancellation) and imageLoaded(false) emitted.
    bool imageJobLanded(const std::shared_ptr<cs::JobControl> &job, const cs::Error *error, const QString &what);
    void saveNote(const ui::NoteDecision &d);
    void storeNote(const cs::NoteRecord &n);
    void audit(const QString &action, const QString &patientKey, const QString &detail);
    void refreshWorklist();                              // every row rebuilt, in m_cohort's order (an import finished)
    ui::WorklistRow worklistRow(const cs::PatientAssessment &a) const;
    void listScored(const cs::PatientAssessment &a);   // one more patient of the import in progress: listed and saved
    void whatIf();

    ui::MainWindow *m_window;
    HospitalLink *m_hospital = nullptr;   // PACS panel and listener (child QObject)
    SessionGuard *m_guard = nullptr;      // idle lock, signatures, audit view (child QObject)
    SegmentationLink *m_segLink = nullptr;   // the open DICOM Segmentation (child QObject)
    std::shared_ptr<const cs::FileCipher> m_cipher, m_previousCipher;   // this session's files encrypted at rest
    std::shared_ptr<const cs::HybridModel> m_model;   // shared with running jobs
    std::optional<cs::TreatmentRules> m_rules;
    bool m_modelLoaded = false, m_storeOpened = false;
    QString m_pendingCohort;
    cs::ClinicalStoreWorker m_store;
    bool m_storeOk = false;
    cs::FrameRenderer m_renderer;
    std::vector<cs::PatientAssessment> m_cohort;
    std::map<QString, QString> m_review;              // identity key -> review status
    std::optional<cs::PatientAssessment> m_current;
    std::optional<cs::DicomInstanceInfo> m_imageInfo;   // of a series: the shown slice's
    std::optional<cs::SeriesFrames> m_series;
    int m_frameCount = 1;
    int m_frame = 0;
    cs::VoiChoice m_voi;
    std::map<JobKind, std::shared_ptr<cs::JobControl>> m_jobs;
};
