#include "workstation.h"

#include "clinsight/clinical/storagerecords.h"
#include "clinsight/clinical/triage.h"
#include "clinsight/foundation/environment.h"
#include "clinsight/foundation/resources.h"

#include "clinsight/vitals/vitalsimport.h"
#include "mainwindow.h"

#include <QDesktopServices>
#include <QFutureWatcher>
#include <QThreadPool>
#include <QUrl>
#include <QtConcurrent/QtConcurrentRun>

template <class R, class Work, class Done>
void Workstation::inBackground(Work work, Done done)
{
    auto *watcher = new QFutureWatcher<R>(this);
    connect(watcher, &QFutureWatcher<R>::finished, this, [watcher, done] {
        R r = watcher->result();
        watcher->deleteLater();
        done(std::move(r));
    });
    watcher->setFuture(QtConcurrent::run(std::move(work)));
}

Workstation::Workstation(ui::MainWindow *window, const QString &dbPath, QObject *parent)
    : QObject(parent), m_window(window), m_user(cs::env::operatingSystemUser())
{
    auto model = cs::HybridModel::load(cs::resourcePath(cs::Resource::ModelBundle));
    if (model) {
        m_model = model.value();
        window->setModelStatus(tr("Model %1 %2 (%3)").arg(m_model->name(), m_model->version(), m_model->device()));
    } else {
        window->setModelStatus(tr("No model: scores only"));
        window->showError(tr("Model not loaded"), model.error());
    }
    auto rules = cs::TreatmentRules::load(cs::resourcePath(cs::Resource::TreatmentRules));
    if (rules) m_rules = rules.value();
    else window->showError(tr("Treatment rules not loaded"), rules.error());
    auto store = cs::ClinicalStore::open(dbPath.isEmpty() ? cs::ClinicalStore::defaultPath() : dbPath);
    if (store) m_store = std::move(store.value());
    else window->showError(tr("Local database not available — nothing will be saved"), store.error());

    connect(window, &ui::MainWindow::importCohortRequested, this, &Workstation::openCohort);
    connect(window, &ui::MainWindow::openImageRequested, this, &Workstation::openImage);
    connect(window, &ui::MainWindow::openVitalsRequested, this, &Workstation::openVitals);
    connect(window, &ui::MainWindow::patientSelected, this, &Workstation::selectPatient);
    connect(window, &ui::MainWindow::windowChangeRequested, this, &Workstation::applyWindow);
    connect(window, &ui::MainWindow::frameRequested, this, &Workstation::showFrame);
    connect(window, &ui::MainWindow::noteDecided, this, &Workstation::saveNote);
    connect(window, &ui::MainWindow::cancelJobRequested, this, [this] { if (m_job) m_job->requestCancel(); });
    connect(window, &ui::MainWindow::modelCardRequested, this, [this] {
        if (m_model) QDesktopServices::openUrl(QUrl::fromLocalFile(m_model->modelCardPath()));
    });
    connect(window, &ui::MainWindow::tagsRequested, this, [this] {
        if (!m_image) return;
        const QString path = m_image->info().path;
        using R = cs::Result<std::vector<cs::DicomTagRow>>;
        inBackground<R>([path]() -> R { return cs::dicomTags(path); }, [this, path](R tags) {
            if (tags) m_window->showTags(path, tags.value());
            else m_window->showError(tr("Cannot read tags"), tags.error());
        });
    });
    connect(window, &ui::MainWindow::reviewStatusRequested, this, [this](const QString &status) {
        if (!m_current || !m_store) return;
        auto st = m_store->setReviewStatus(m_current->inputs.id, status, m_user);
        if (!st) { m_window->showError(tr("Not saved"), st.error()); return; }
        m_review[m_current->inputs.id] = status;
        m_window->worklist()->setReviewStatus(m_current->inputs.id, status);
    });
}


Workstation::~Workstation()
{
    // Jobs hold pointers to the model: let them finish before it goes (shutdown only).
    if (m_job) m_job->requestCancel();
    QThreadPool::globalInstance()->waitForDone();
}

void Workstation::refreshWorklist()
{
    std::vector<ui::WorklistRow> rows;
    for (const auto &a : m_cohort) {
        ui::WorklistRow r;
        r.patientId = a.inputs.id;
        r.name = a.inputs.displayName + QStringLiteral(" — ") + a.inputs.id.section('-', 1);
        r.modality = a.imageInfo ? a.imageInfo->modality : (a.frame ? QStringLiteral("PNG") : QString());
        r.studyDate = a.imageInfo ? a.imageInfo->studyDate : QString();
        r.reviewStatus = m_review.count(a.inputs.id) ? m_review[a.inputs.id] : QStringLiteral("unreviewed");
        if (a.fused.available) r.fusedRisk = a.fused.risk;
        if (a.image && a.image->applicable) r.imageRisk = a.image->risk;
        if (a.vitalsRisk && a.vitalsRisk->applicable) r.vitalsRisk = a.vitalsRisk->riskPerHour.back();
        if (const auto *s = a.lastScores()) { r.news2 = s->news2.points; r.news2Partial = s->news2.partial; }
        r.flagged = a.flagged;
        r.priority = a.priority;
        rows.push_back(r);
    }
    m_window->setWorklist(rows);
}

void Workstation::openCohort(const QString &dir)
{
    using R = cs::Result<std::vector<cs::PatientAssessment>>;
    auto control = std::make_shared<cs::JobControl>();
    m_job = control;
    auto *relay = new cs::JobProgressRelay(this);
    relay->attach(*control);
    connect(relay, &cs::JobProgressRelay::progress, m_window, &ui::MainWindow::showJobProgress);
    const cs::HybridModel *model = m_model ? &*m_model : nullptr;
    inBackground<R>(
        [control, model, dir]() -> R {
            return cs::runJob<std::vector<cs::PatientAssessment>>(*control, [&](cs::JobControl &c) { return cs::triageCohort(model, dir, c); });
        },
        [this, relay, dir](R r) {
            relay->deleteLater();
            if (!r) {
                m_window->showJobFinished(r.error().message());
                if (r.error().code != cs::Error::Code::Cancelled) m_window->showError(tr("Cannot import %1").arg(dir), r.error());
                emit cohortLoaded(false);
                return;
            }
            m_cohort = std::move(r.value());
            if (m_store) {
                if (auto stored = m_store->patients())
                    for (const auto &p : stored.value()) m_review[p.id] = p.reviewStatus;
                for (const auto &a : m_cohort) {
                    m_store->upsertPatient(cs::patientRecord(a.inputs));
                    auto st = m_store->recordInference(cs::inferenceRecord(a), m_user);
                    if (!st) m_window->showError(tr("Not saved"), st.error());
                }
            }
            refreshWorklist();
            m_window->showJobFinished(tr("%1 patients scored from %2").arg(m_cohort.size()).arg(dir));
            emit cohortLoaded(true);
        });
}

void Workstation::selectPatient(const QString &id)
{
    auto it = std::find_if(m_cohort.begin(), m_cohort.end(), [&](const auto &a) { return a.inputs.id == id; });
    if (it == m_cohort.end()) return;
    const cs::PatientInputs inputs = it->inputs;
    m_requested = id;
    struct Loaded { cs::PatientAssessment a; std::optional<cs::DicomImageSource> src; };
    using R = cs::Result<Loaded>;
    const cs::HybridModel *model = m_model ? &*m_model : nullptr;
    m_window->showJobProgress(0, 1, tr("Scoring %1 (image, Grad-CAM, vitals, attention)...").arg(inputs.displayName));
    inBackground<R>(
        [model, inputs]() -> R {
            auto a = cs::assessPatient(model, inputs, /*withGradCam=*/true);
            if (!a) return a.error();
            Loaded l{std::move(a.value()), std::nullopt};
            if (l.a.imageInfo) {
                auto src = cs::DicomImageSource::open(l.a.imagePath);
                if (src) l.src = src.value();
            }
            return l;
        },
        [this, id](R r) {
            if (id != m_requested) return;  // the user has moved on to another patient
            if (!r) {
                m_window->showJobFinished(r.error().message());
                m_window->showError(tr("Cannot score patient"), r.error());
                emit patientShown(false);
                return;
            }
            m_current = std::move(r->a);
            m_image = std::move(r->src);
            m_frame = 0;
            const cs::ModelThresholds thr = m_model ? m_model->thresholds() : cs::ModelThresholds{};
            m_window->showPatient(*m_current, thr, m_image ? m_image->frameCount() : 1);
            if (m_rules) m_window->showSuggestions(m_rules->suggest(*m_current), m_rules->version());
            if (m_store) {
                m_store->audit(m_user, QStringLiteral("opened"), m_current->inputs.id, m_current->imagePath);
                if (auto notes = m_store->notes(m_current->inputs.id)) m_window->showSavedNotes(notes.value());
            }
            m_window->showJobFinished(tr("%1 scored").arg(m_current->inputs.displayName));
            emit patientShown(true);
        });
}

void Workstation::saveNote(const ui::NoteDecision &d)
{
    if (!m_current) return;
    if (!m_store) {
        m_window->showError(tr("Not saved"), cs::makeError(cs::Error::Code::Io, {}, {}, tr("the local database is not available")));
        emit noteSaved(false);
        return;
    }
    cs::NoteRecord n;
    n.patientId = m_current->inputs.id;
    n.ruleId = d.ruleId;
    n.suggestion = d.suggestion;
    n.text = d.text;
    n.guideline = d.guideline;
    n.status = d.status;
    n.author = m_user;
    n.modelVersion = m_current->modelName + ' ' + m_current->modelVersion;
    n.rulesVersion = m_rules ? m_rules->version() : QString();
    auto id = m_store->saveNote(n);
    if (!id) {
        m_window->showError(tr("Note not saved"), id.error());
        emit noteSaved(false);
        return;
    }
    if (auto notes = m_store->notes(n.patientId)) m_window->showSavedNotes(notes.value());
    emit noteSaved(true);
}

void Workstation::applyWindow(double center, double width)
{
    if (!m_image || m_image->isColor()) return;
    auto f = m_image->render(m_frame, cs::VoiChoice::custom(center, width));
    if (f) m_window->showFrame(f.value());
}

void Workstation::showFrame(int frame)
{
    if (!m_image || frame < 0 || frame >= m_image->frameCount()) return;
    m_frame = frame;
    auto f = m_image->render(frame);
    if (f) m_window->showFrame(f.value());
    else m_window->showError(tr("Cannot show frame"), f.error());
}

void Workstation::openImage(const QString &path)
{
    using R = cs::Result<std::pair<cs::DicomImageSource, cs::DisplayFrame>>;
    inBackground<R>(
        [path]() -> R {
            auto src = cs::DicomImageSource::open(path);
            if (!src) return src.error();
            auto frame = src->render(0);
            if (!frame) return frame.error();
            return std::make_pair(src.value(), frame.value());
        },
        [this](R r) {
            if (!r) {
                m_window->showError(tr("Cannot open image"), r.error());
                emit imageLoaded(false);
                return;
            }
            m_image = r->first;
            m_frame = 0;
            m_window->showImage(m_image->info(), r->second);
            emit imageLoaded(true);
        });
}

void Workstation::openVitals(const QString &path)
{
    using R = cs::Result<cs::VitalsTimeline>;
    inBackground<R>([path]() -> R { return cs::importVitals(path); },
                    [this](R r) {
                        if (!r) {
                            m_window->showError(tr("Cannot open vitals"), r.error());
                            emit vitalsLoaded(false);
                            return;
                        }
                        m_window->showVitals(r.value());
                        emit vitalsLoaded(true);
                    });
}
