#include "workstation.h"
#include "hospitallink.h"
#include "segmentationlink.h"
#include "background.h"
#include "assessmentreport.h"
#include "sessionguard.h"

#include <QDir>
#include <QFileInfo>

#include "mainwindow.h"

#include "clinsight/clinical/deidentifiedexport.h"
#include "clinsight/clinical/storagerecords.h"
#include "clinsight/clinical/triage.h"
#include "clinsight/foundation/environment.h"
#include "clinsight/foundation/resources.h"
#include "clinsight/security/filecipher.h"
#include "clinsight/storage/auditchain.h"
#include "clinsight/vitals/vitalsimport.h"

#include <QDesktopServices>
#include <QFutureWatcher>
#include <QThreadPool>
#include <QUrl>
#include <QtConcurrent/QtConcurrentRun>

Workstation::Workstation(ui::MainWindow *window, cs::security::Session session, QObject *parent)
    : QObject(parent), m_window(window)
{
    using cs::security::Permission;
    const QString role = cs::security::roleName(session.role);
    window->setSession(session.fullName.isEmpty() ? session.user : session.fullName, role, session.role == cs::security::Role::Demo);
    window->setPermissions({session.can(Permission::ViewPatients), session.can(Permission::DecideNotes), session.can(Permission::ReviewStudies),
                            session.can(Permission::ManagePacsNodes), session.can(Permission::ReadAudit)}, role);
    const QString storePath = session.databasePath;
    const QByteArray storeKey = session.databaseKey;
    const int failedBefore = session.failedBefore;
    // Files written about patients outside the database (studies from the PACS, results) are encrypted with its key.
    m_cipher = cs::security::makeFileCipher(storeKey);
    m_previousCipher = cs::installedFileCipher();
    cs::installFileCipher(m_cipher);
    m_guard = new SessionGuard(window, std::move(session), m_store, this);
    window->setModelStatus(tr("Loading model..."));
    // The model (SHA-256 of every bundle file) and the rules, in the background.
    struct Loaded { cs::Result<cs::HybridModel> model; cs::Result<cs::TreatmentRules> rules; };
    runInBackground<std::shared_ptr<Loaded>>(this,
        [] {
            return std::make_shared<Loaded>(Loaded{cs::HybridModel::load(cs::resourcePath(cs::Resource::ModelBundle)),
                                                   cs::TreatmentRules::load(cs::resourcePath(cs::Resource::TreatmentRules))});
        },
        [this](std::shared_ptr<Loaded> l) {
            if (l->model) {
                m_model = std::make_shared<const cs::HybridModel>(l->model.value());
                m_window->setModelStatus(tr("Model %1 %2 (%3), signed by %4")
                                             .arg(m_model->name(), m_model->version(), m_model->device(), m_model->signature().summary()));
            } else if (l->model.error().code == cs::Error::Code::Integrity) {
                m_window->showModelRefused(l->model.error());
            } else {
                m_window->setModelStatus(tr("No model: scores only"));
                m_window->showError(tr("Model not loaded"), l->model.error());
            }
            if (l->rules) m_rules = l->rules.value();
            else m_window->showError(tr("Treatment rules not loaded"), l->rules.error());
            m_modelLoaded = true;
            maybeReady();
        });
    // The database, on its own thread, opened with the session's key.
    m_store.open(storePath, storeKey, this, [this, storePath, storeKey, failedBefore](cs::Status st) {
        m_storeOk = st.ok();
        if (!st) m_window->showError(tr("Local database not available — nothing will be saved"), st.error());
        // The record's own check (hash chain, signed head), read-only and in the background.
        if (st) {
            using V = cs::Result<cs::AuditVerification>;
            audit(QStringLiteral("signed in"), {}, failedBefore ? tr("workstation; %1 failed attempts since the last sign-in").arg(failedBefore)
                                                               : tr("workstation"));
            runInBackground<V>(this, [storePath, storeKey] { return cs::verifyAuditLog(storePath, storeKey); }, [this](V v) {
                if (!v) m_window->setAuditStatus(tr("Audit log: not checked (%1)").arg(v.error().message()), false);
                else if (v->intact) m_window->setAuditStatus(tr("Audit log intact: %1 entries").arg(v->intactEntries), true);
                else m_window->setAuditStatus(tr("AUDIT LOG NOT INTACT: %1").arg(v->problem), false);
                emit auditChecked(v && v->intact);
            });
        }
        m_storeOpened = true;
        maybeReady();
    });

    connect(window, &ui::MainWindow::importCohortRequested, this, &Workstation::openCohort);
    connect(window, &ui::MainWindow::openImageRequested, this, &Workstation::openImage);
    connect(window, &ui::MainWindow::openSeriesRequested, this, &Workstation::openSeries);
    m_segLink = new SegmentationLink(window, this);
    connect(m_segLink, &SegmentationLink::aloneRequested, this, [this](const cs::DicomInstanceInfo &info) {
        m_renderer.setSource(std::nullopt);   // the segmentation's frames replace the image
        m_series.reset();
        m_imageInfo = info;
        m_frameCount = info.frames;
        m_frame = 0;
    });
    connect(window, &ui::MainWindow::openVitalsRequested, this, &Workstation::openVitals);
    connect(window, &ui::MainWindow::patientSelected, this, &Workstation::selectPatient);
    connect(window, &ui::MainWindow::windowChangeRequested, this, &Workstation::applyWindow);
    connect(window, &ui::MainWindow::frameRequested, this, &Workstation::showFrame);
    connect(window, &ui::MainWindow::noteDecided, this, &Workstation::saveNote);
    connect(window, &ui::MainWindow::cancelJobRequested, this, &Workstation::cancelAll);
    connect(window, &ui::MainWindow::whatIfRequested, this, &Workstation::whatIf);
    connect(window, &ui::MainWindow::reportRequested, this, &Workstation::exportReport);
    connect(window, &ui::MainWindow::deidentifiedExportRequested, this, [this](const QString &dir) { exportDeidentified(dir); });
    // Studies retrieved from the PACS or pushed to the listener are imported like any cohort.
    m_hospital = new HospitalLink(window->pacsPanel(), [this](const QString &dir) { openCohort(dir); }, this);
    m_hospital->setNodeEditingAllowed(m_guard->session().require(cs::security::Permission::ManagePacsNodes));
    m_hospital->setStudiesFolder(storePath + QStringLiteral(".studies"));
    connect(window, &ui::MainWindow::modelCardRequested, this, [this] {
        if (m_model) QDesktopServices::openUrl(QUrl::fromLocalFile(m_model->modelCardPath()));
    });
    connect(window, &ui::MainWindow::tagsRequested, this, [this] {
        if (!m_imageInfo) return;
        const QString path = m_imageInfo->path;
        auto job = startJob(JobKind::Tags);
        using R = cs::Result<std::vector<cs::DicomTagRow>>;
        runInBackground<R>(this, [path]() -> R { return cs::dicomTags(path); }, [this, path, job](R tags) {
            if (!isCurrent(JobKind::Tags, job)) return;
            finishJob(JobKind::Tags, job);
            if (tags) m_window->showTags(path, tags.value());
            else m_window->showError(tr("Cannot read tags"), tags.error());
        });
    });
    connect(window, &ui::MainWindow::reviewStatusRequested, this, [this](const QString &status) {
        if (!m_current) return;
        if (auto st = m_guard->session().require(cs::security::Permission::ReviewStudies); !st) {
            m_window->showError(tr("Review status not saved"), st.error());
            return;
        }
        const QString key = m_current->identity.key(), row = m_current->inputs.id;
        const QString user = this->user();
        m_store.run<cs::Status>([key, status, user](cs::ClinicalStore &s) { return s.setReviewStatus(key, status, user); }, this,
                                [this, key, row, status](cs::Status st) {
                                    if (!st) { m_window->showError(tr("Review status not saved"), st.error()); return; }
                                    m_review[key] = status;
                                    m_window->worklist()->setReviewStatus(row, status);
                                });
    });
}

QString Workstation::user() const { return m_guard->session().user; }

Workstation::~Workstation()
{
    // Quitting cancels every job; each polls its control and returns at its next step.
    for (auto &[kind, job] : m_jobs)
        if (job) job->requestCancel();
    m_hospital->cancel();
    QThreadPool::globalInstance()->waitForDone();
    if (cs::installedFileCipher() == m_cipher) cs::installFileCipher(m_previousCipher);
}

std::shared_ptr<cs::JobControl> Workstation::startJob(JobKind kind)
{
    if (auto old = m_jobs[kind]) old->requestCancel();
    auto job = std::make_shared<cs::JobControl>();
    m_jobs[kind] = job;
    return job;
}

bool Workstation::isCurrent(JobKind kind, const std::shared_ptr<cs::JobControl> &job) const
{
    auto it = m_jobs.find(kind);
    return it != m_jobs.end() && it->second == job && !job->isCancelled();
}

void Workstation::finishJob(JobKind kind, const std::shared_ptr<cs::JobControl> &job)
{
    if (isCurrent(kind, job)) m_jobs.erase(kind);
}

void Workstation::cancelAll()
{
    for (auto &[kind, job] : m_jobs)
        if (job) job->requestCancel();
    m_jobs.clear();
    m_pendingCohort.clear();
    m_window->showJobFinished(tr("Cancelled"));
}

void Workstation::whatIf()
{
    if (!m_model || !m_current || !m_current->vitals) {
        m_window->showWhatIf(tr("No scored vitals to re-score."));
        return;
    }
    auto job = startJob(JobKind::WhatIf);
    const auto model = m_model;
    const cs::VitalsTimeline t = *m_current->vitals;
    const QString key = m_current->identity.key();
    const double thr = model->thresholds().vitals;
    using R = cs::Result<cs::WhatIfBlanked>;
    runInBackground<R>(this, [model, t]() -> R { return cs::rescoreWithoutMostAttended(*model, t); }, [this, job, key, thr](R r) {
        if (!isCurrent(JobKind::WhatIf, job)) return;
        finishJob(JobKind::WhatIf, job);
        if (!m_current || m_current->identity.key() != key) return;   // another patient is shown now
        if (!r) {
            m_window->showWhatIf(tr("Not re-scored: %1").arg(r.error().message()));
            return;
        }
        QStringList hours;
        for (int h : r->blankedHours) hours << QString::number(h);
        m_window->showWhatIf(tr("Without hours %1 (most attended): sepsis risk %2 instead of %3 (%4)%5. A what-if, not a record.")
                                 .arg(hours.join(QStringLiteral(", ")))
                                 .arg(QStringLiteral("%1%").arg(r->riskAfter * 100, 0, 'f', 1))
                                 .arg(QStringLiteral("%1%").arg(r->riskBefore * 100, 0, 'f', 1))
                                 .arg(cs::relativeToAlertLevel(r->riskAfter, thr))
                                 .arg(r->alertBefore != r->alertAfter ? (r->alertAfter ? tr("; it would alert") : tr("; it would no longer alert"))
                                                                      : QString()));
        emit whatIfShown(true);
    });
}

void Workstation::maybeReady()
{
    if (!isReady()) return;
    emit ready();
    if (!m_pendingCohort.isEmpty()) {
        const QString dir = m_pendingCohort;
        m_pendingCohort.clear();
        openCohort(dir);
    }
}

void Workstation::audit(const QString &action, const QString &patientKey, const QString &detail)
{
    const QString user = this->user();
    m_store.run<cs::Status>([=](cs::ClinicalStore &s) { return s.audit(user, action, patientKey, detail); }, this,
                            [this](cs::Status st) {
                                if (!st) m_window->showError(tr("Audit log not written"), st.error());
                            });
}

ui::WorklistRow Workstation::worklistRow(const cs::PatientAssessment &a) const
{
    ui::WorklistRow r;
    r.patientId = a.inputs.id;
    r.name = a.inputs.displayName + QStringLiteral(" — ") + a.inputs.id.section('-', 1);
    if (!a.identityConflict.isEmpty()) r.name = tr("IDENTITY CONFLICT: ") + r.name;
    if (!a.failure.isEmpty()) r.name = tr("NOT SCORED: ") + r.name;
    r.modality = a.imageInfo ? a.imageInfo->modality : (a.imagePath.isEmpty() ? QString() : QStringLiteral("PNG"));
    r.studyDate = a.imageInfo ? a.imageInfo->studyDate : QString();
    const QString key = a.identity.key();
    const auto review = m_review.find(key);
    r.reviewStatus = review != m_review.end() ? review->second : QStringLiteral("unreviewed");
    if (a.fused.available) r.fusedRisk = a.fused.risk;
    if (a.image && a.image->applicable) r.imageRisk = a.image->risk;
    if (a.vitalsRisk && a.vitalsRisk->applicable) r.vitalsRisk = a.vitalsRisk->riskPerHour.back();
    if (const auto *s = a.lastScores()) { r.news2 = s->news2.points; r.news2Partial = s->news2.partial; }
    r.flagged = a.flagged || !a.identityConflict.isEmpty();
    r.priority = a.priority;
    return r;
}

void Workstation::refreshWorklist()
{
    std::vector<ui::WorklistRow> rows;
    rows.reserve(m_cohort.size());
    for (const auto &a : m_cohort) rows.push_back(worklistRow(a));
    m_window->setWorklist(rows);
}

void Workstation::openCohort(const QString &dir)
{
    if (auto st = m_guard->session().require(cs::security::Permission::ViewPatients); !st) {
        m_window->showError(tr("Not opened"), st.error());
        audit(QStringLiteral("access refused"), {}, st.error().reason);
        emit cohortLoaded(false);
        return;
    }
    if (!isReady()) {   // imported as soon as the model and database are open
        m_pendingCohort = dir;
        m_window->showJobProgress(0, 0, tr("Opening the model and the local database..."));
        return;
    }
    using R = cs::Result<std::vector<cs::PatientAssessment>>;
    auto job = startJob(JobKind::Import);
    auto *relay = new cs::JobProgressRelay(this);
    relay->attach(*job);
    connect(relay, &cs::JobProgressRelay::progress, m_window, &ui::MainWindow::showJobProgress);
    // Each patient is listed (most urgent first among those scored so far) and saved as soon as it is
    // scored: the radiologist starts on the first flagged patient while the rest are scored. The
    // worker hands patients over through `listing` (on the GUI thread, gone once the import ends).
    auto *listing = new QObject(this);
    const cs::ThreadHandoff handoff(listing);
    auto listed = std::make_shared<int>(0);   // touched on the GUI thread only
    auto onAssessed = [this, handoff, job, listed](const cs::PatientAssessment &a) {
        handoff.post([this, job, listed, a] {   // runs only while `listing` (a child of this) lives
            if (!isCurrent(JobKind::Import, job)) return;   // cancelled, or a newer import started
            if ((*listed)++ == 0) m_cohort.clear();          // the first patient of this import replaces the last cohort
            listScored(a);
            emit patientListed(a.inputs.id, *listed);
        });
    };
    const std::shared_ptr<const cs::HybridModel> model = m_model;
    runInBackground<R>(this,
        [job, model, dir, onAssessed]() -> R {
            return cs::runJob<std::vector<cs::PatientAssessment>>(*job, [&](cs::JobControl &c) {
                return cs::triageCohort(model.get(), dir, c, onAssessed);
            });
        },
        [this, relay, listing, dir, job](R r) {
            relay->deleteLater();
            listing->deleteLater();
            if (!isCurrent(JobKind::Import, job)) {   // cancelled, or a newer import started
                if (!r && r.error().code != cs::Error::Code::Cancelled) m_window->showError(tr("Cannot import %1").arg(dir), r.error());
                emit cohortLoaded(false);
                return;
            }
            finishJob(JobKind::Import, job);
            if (!r) {
                m_window->showJobFinished(r.error().message());
                if (r.error().code != cs::Error::Code::Cancelled) m_window->showError(tr("Cannot import %1").arg(dir), r.error());
                emit cohortLoaded(false);
                return;
            }
            // Every patient was listed and its save queued as it was scored (the store runs its work in
            // order, so the review statuses read below come after those saves).
            m_cohort = std::move(r.value());
            const size_t n = m_cohort.size();
            m_store.run<cs::Result<std::vector<cs::StoredPatient>>>(
                [](cs::ClinicalStore &s) { return s.patients(); }, this,
                [this, dir, n](cs::Result<std::vector<cs::StoredPatient>> stored) {
                    if (stored) for (const auto &p : stored.value()) m_review[p.id] = p.reviewStatus;
                    else m_window->showError(tr("Review statuses not read"), stored.error());
                    refreshWorklist();
                    m_window->showJobFinished(tr("%1 patients scored from %2").arg(n).arg(dir));
                    emit cohortLoaded(true);
                });
        });
}

void Workstation::listScored(const cs::PatientAssessment &a)
{
    m_cohort.push_back(a);               // in arrival order until the import ends (the view sorts the rows)
    m_window->addWorklistRow(worklistRow(a));
    const cs::InferenceRecord record = cs::inferenceRecord(a);
    const QString user = this->user(), name = a.inputs.displayName;
    m_store.run<cs::Status>([record, user](cs::ClinicalStore &s) { return s.recordInference(record, user); }, this,
                            [this, name](cs::Status st) {
                                if (!st) m_window->showError(tr("%1 not saved").arg(name), st.error());
                            });
}

void Workstation::selectPatient(const QString &id)
{
    auto it = std::find_if(m_cohort.begin(), m_cohort.end(), [&](const auto &a) { return a.inputs.id == id; });
    if (it == m_cohort.end()) return;
    const cs::PatientInputs inputs = it->inputs;
    if (!it->failure.isEmpty()) {   // nothing to score: show why
        m_current = *it;
        setImage(std::nullopt);
        m_window->showPatient(*m_current, m_model ? m_model->thresholds() : cs::ModelThresholds{}, 1);
        emit patientShown(false);
        return;
    }
    struct Loaded { cs::PatientAssessment a; std::optional<cs::DicomImageSource> src; };
    using R = cs::Result<Loaded>;
    auto job = startJob(JobKind::Patient);
    const std::shared_ptr<const cs::HybridModel> model = m_model;
    m_window->showJobProgress(0, 1, tr("Scoring %1 (image, Grad-CAM, vitals, attention)...").arg(inputs.displayName));
    runInBackground<R>(this,
        [model, inputs, job]() -> R {
            if (job->isCancelled()) return cs::cancelledError(QStringLiteral("scoring"));
            auto a = cs::assessPatient(model.get(), inputs, /*withGradCam=*/true);
            if (!a) return a.error();
            Loaded l{std::move(a.value()), std::nullopt};
            if (l.a.imageInfo && !job->isCancelled()) {
                auto src = cs::DicomImageSource::open(l.a.imagePath);
                if (src) l.src = src.value();
            }
            return l;
        },
        [this, job](R r) {
            if (!isCurrent(JobKind::Patient, job)) return;   // the user has moved on, or cancelled
            finishJob(JobKind::Patient, job);
            if (!r) {
                m_window->showJobFinished(r.error().message());
                m_window->showError(tr("Cannot score patient"), r.error());
                emit patientShown(false);
                return;
            }
            m_current = std::move(r->a);
            setImage(std::move(r->src));
            const cs::ModelThresholds thr = m_model ? m_model->thresholds() : cs::ModelThresholds{};
            m_window->showPatient(*m_current, thr, m_frameCount);
            if (!m_current->identityConflict.isEmpty()) m_window->showIdentityConflict(m_current->identityConflict);
            if (m_rules) m_window->showSuggestions(m_rules->suggest(*m_current), m_rules->version());
            const QString key = m_current->identity.key();
            audit(QStringLiteral("opened"), key, m_current->imagePath);
            using N = cs::Result<std::vector<cs::NoteRecord>>;
            m_store.run<N>([key](cs::ClinicalStore &s) { return s.notes(key); }, this, [this, key](N notes) {
                if (!m_current || m_current->identity.key() != key) return;
                if (notes) m_window->showSavedNotes(notes.value());
                else m_window->showError(tr("Saved notes not read"), notes.error());
            });
            m_window->showJobFinished(tr("%1 scored").arg(m_current->inputs.displayName));
            emit patientShown(true);
        });
}

void Workstation::saveNote(const ui::NoteDecision &d)
{
    if (!m_current) return;
    if (!m_storeOk) {
        m_window->showError(tr("Not saved"), cs::makeError(cs::Error::Code::Io, {}, {}, tr("the local database is not available")));
        emit noteSaved(false);
        return;
    }
    cs::NoteRecord n;
    n.patientId = m_current->identity.key();
    n.ruleId = d.ruleId;
    n.suggestion = d.suggestion;
    n.text = d.text;
    n.guideline = d.guideline;
    n.status = d.status;
    n.author = user();
    n.modelVersion = m_current->modelName + ' ' + m_current->modelVersion;
    n.rulesVersion = m_rules ? m_rules->version() : QString();
    // Signing a note asks the password again; a cancelled or refused signature saves nothing.
    const QString what = d.status == QLatin1String("rejected") ? tr("Reject the suggestion '%1' for %2.") : tr("Sign the note '%1' for %2.");
    m_guard->confirm(what.arg(d.ruleId, m_current->inputs.displayName), [this, n] { storeNote(n); }, [this, rule = d.ruleId] {
        m_window->notesPanel()->reopen(rule);
        emit noteSaved(false);
    });
}

void Workstation::storeNote(const cs::NoteRecord &n)
{
    using N = cs::Result<std::vector<cs::NoteRecord>>;
    m_store.run<N>(
        [n](cs::ClinicalStore &s) -> N {
            auto id = s.saveNote(n);
            if (!id) return id.error();
            return s.notes(n.patientId);
        },
        this,
        [this, key = n.patientId](N notes) {
            if (!notes) {
                m_window->showError(tr("Note not saved"), notes.error());
                emit noteSaved(false);
                return;
            }
            if (m_current && m_current->identity.key() == key) m_window->showSavedNotes(notes.value());
            emit noteSaved(true);
        });
}

void Workstation::openSegmentation(const QString &path) { m_segLink->open(path); }

void Workstation::openVitals(const QString &path)
{
    using R = cs::Result<cs::VitalsTimeline>;
    auto job = startJob(JobKind::Vitals);
    runInBackground<R>(this, [path]() -> R { return cs::importVitals(path); },
                    [this, job](R r) {
                        if (!isCurrent(JobKind::Vitals, job)) { emit vitalsLoaded(false); return; }
                        finishJob(JobKind::Vitals, job);
                        if (!r) {
                            m_window->showError(tr("Cannot open vitals"), r.error());
                            emit vitalsLoaded(false);
                            return;
                        }
                        m_window->showVitals(r.value());
                        emit vitalsLoaded(true);
                    });
}

void Workstation::exportDeidentified(const QString &dir, bool allowBurnedIn)
{
    if (!m_current) {
        m_window->showError(tr("Nothing exported"), cs::makeError(cs::Error::Code::Invalid, dir, {}, tr("open a patient first")));
        emit deidentifiedExported(-1, 0, 0);
        return;
    }
    if (auto st = m_guard->session().require(cs::security::Permission::ViewPatients); !st) {
        m_window->showError(tr("Nothing exported"), st.error());
        emit deidentifiedExported(-1, 0, 0);
        return;
    }
    const QString folder = m_current->inputs.folder, key = m_current->identity.key();
    auto a = std::make_shared<const cs::PatientAssessment>(*m_current);
    using R = cs::Result<cs::DeidentifyExportResult>;
    runInBackground<R>(this, [folder, dir, allowBurnedIn, a]() -> R {
                           auto r = cs::exportDeidentified({folder}, dir, {allowBurnedIn, {}, {}});
                           // ClinSight's results go with the patient, under the same pseudonym.
                           if (const QString p = r ? cs::pseudonymOfFolder(r.value(), folder) : QString(); !p.isEmpty()) {
                               const QString out = QDir(dir).filePath(p + QStringLiteral("/results.json"));
                               auto st = cs::writeDeidentifiedResults(*a, p, out);
                               r->items.push_back({a->inputs.folder, st ? out : QString(), p, st ? QString() : st.error().message(), false});
                               ++(st ? r->written : r->failed);
                           }
                           return r;
                       },
                       [this, dir, key, allowBurnedIn](R r) {
        if (!r) {
            m_window->showError(tr("De-identified copy not written"), r.error());
            emit deidentifiedExported(-1, 0, 0);
            return;
        }
        audit(QStringLiteral("de-identified export"), key, tr("%1 files written, %2 refused for possible burned-in text, %3 failed%4")
                                                               .arg(r->written).arg(r->refused).arg(r->failed)
                                                               .arg(allowBurnedIn ? tr("; burned-in text confirmed absent by the user") : QString()));
        QStringList problems;
        for (const auto &i : r->items) if (!i.problem.isEmpty()) problems << i.problem;
        m_window->showJobFinished(tr("De-identified copy: %1 files in %2").arg(r->written).arg(dir));
        emit deidentifiedExported(r->written, r->refused, r->failed);
        if (r->refused > 0 && !allowBurnedIn) {
            // Asked, never assumed: the user must have looked at the pixels.
            m_window->confirm(tr("Images may show text"),
                              tr("%1 image(s) were not exported because their pixels may show identifying text:\n\n%2\n\n"
                                 "Have you checked that they show none? Yes exports a new copy with them into another folder.")
                                  .arg(r->refused).arg(problems.join('\n')),
                              [this, dir](bool yes) { if (yes) exportDeidentified(dir + QStringLiteral("-with-images"), true); });
        } else if (!problems.isEmpty()) {
            m_window->showError(tr("Part of the copy not written"),
                                cs::makeError(cs::Error::Code::Format, dir, {}, problems.join(QStringLiteral("; "))));
        }
    });
}

void Workstation::exportReport(const QString &pdfPath)
{
    if (!m_current) {
        m_window->showError(tr("No report"), cs::makeError(cs::Error::Code::Invalid, pdfPath, {}, tr("open a patient first")));
        emit reportWritten(false);
        return;
    }
    auto a = std::make_shared<const cs::PatientAssessment>(*m_current);
    auto model = m_model;
    const QString user = this->user(), key = a->identity.key();
    using N = cs::Result<std::vector<cs::NoteRecord>>;
    m_store.run<N>([key](cs::ClinicalStore &s) { return s.notes(key); }, this, [this, a, model, user, key, pdfPath](N notes) {
        runInBackground<cs::Status>(this,
            [a, model, user, notes, pdfPath] {
                cs::ReportInputs r;
                r.assessment = a.get();
                r.model = model.get();
                r.author = user;
                if (notes) r.notes = notes.value();
                else r.notesUnavailable = notes.error().message();
                return cs::writeAssessmentReport(r, pdfPath);
            },
            [this, key, pdfPath](cs::Status s) {
                if (s) {
                    audit(QStringLiteral("report exported"), key, QFileInfo(pdfPath).fileName());
                    m_window->showJobFinished(tr("Report written: %1").arg(pdfPath));
                } else {
                    m_window->showError(tr("Report not written"), s.error());
                }
                emit reportWritten(s.ok());
            });
    });
}
