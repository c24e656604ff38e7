#pragma once
// Wires core to the window: loads the model bundle, the rules and the local
// database; runs triage and per-patient scoring as jobs off the GUI thread
// (progress bar + cancel); hands the results to ui::MainWindow; saves what
// the clinician decides. The GUI thread never waits on a job.
#include "clinsight/clinical/assessment.h"
#include "clinsight/storage/clinicalstore.h"
#include "clinsight/dicom/dicom.h"
#include "clinsight/model/hybridmodel.h"
#include "clinsight/clinical/treatmentrules.h"
#include "notespanel.h"

#include <QObject>
#include <map>
#include <memory>
#include <optional>

namespace ui { class MainWindow; }

class Workstation : public QObject {
    Q_OBJECT
public:
    // dbPath empty: ClinicalStore::defaultPath().
    explicit Workstation(ui::MainWindow *window, const QString &dbPath = {}, QObject *parent = nullptr);
    ~Workstation() override;
    void openCohort(const QString &dir);
    void selectPatient(const QString &id);
    void openImage(const QString &path);
    void openVitals(const QString &path);

    const std::optional<cs::HybridModel> &model() const { return m_model; }
    const std::optional<cs::DicomImageSource> &image() const { return m_image; }
    const std::optional<cs::PatientAssessment> &current() const { return m_current; }
    cs::ClinicalStore *store() { return m_store ? &*m_store : nullptr; }
    QString user() const { return m_user; }

signals:
    void cohortLoaded(bool ok);
    void patientShown(bool ok);
    void noteSaved(bool ok);
    void imageLoaded(bool ok);
    void vitalsLoaded(bool ok);

private:
    // Runs work() on the thread pool and done(result) back on the GUI thread; never blocks.
    template <class R, class Work, class Done>
    void inBackground(Work work, Done done);
    void applyWindow(double center, double width);
    void showFrame(int frame);
    void saveNote(const ui::NoteDecision &d);
    void refreshWorklist();
    ui::MainWindow *m_window;
    std::optional<cs::HybridModel> m_model;
    std::optional<cs::TreatmentRules> m_rules;
    std::optional<cs::ClinicalStore> m_store;
    std::vector<cs::PatientAssessment> m_cohort;
    std::map<QString, QString> m_review;
    std::optional<cs::PatientAssessment> m_current;
    std::optional<cs::DicomImageSource> m_image;
    std::shared_ptr<cs::JobControl> m_job;
    int m_frame = 0;
    QString m_requested;   // the patient last asked for: older results are dropped
    QString m_user;
};
