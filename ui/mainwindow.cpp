#include "mainwindow.h"

#include "clinsight/dicom/segmentation.h"

#include "imageviewer.h"
#include "riskpanel.h"
#include "tagdialog.h"
#include "viewertoolbar.h"
#include "vitalsplot.h"

#include "clinsight/clinical/assessment.h"
#include "clinsight/foundation/environment.h"
#include "clinsight/clinical/imagetiming.h"
#include "clinsight/dicom/dicom.h"
#include "clinsight/foundation/error.h"
#include "clinsight/clinical/treatmentrules.h"
#include "clinsight/vitals/vitalstimeline.h"

#include <QDialog>
#include <QDockWidget>
#include <QKeySequence>
#include <QFileDialog>
#include <QLabel>
#include <QMenuBar>
#include "pacspanel.h"
#include "sessionwidgets.h"
#include <QInputDialog>
#include <algorithm>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QStatusBar>
#include <QVBoxLayout>

namespace ui {

MainWindow::MainWindow(QWidget *parent) : QMainWindow(parent)
{
    setWindowTitle(tr("ClinSight — for research and decision support, not a diagnosis"));
    resize(1500, 950);
    m_viewer = new ImageViewer(this);
    // The centre: a banner that only a refused model bundle shows, above the image.
    auto *centre = new QWidget(this);
    auto *centreLayout = new QVBoxLayout(centre);
    centreLayout->setContentsMargins(0, 0, 0, 0);
    centreLayout->setSpacing(0);
    m_modelBanner = new QLabel(centre);
    m_modelBanner->setObjectName(QStringLiteral("modelRefusedBanner"));
    m_modelBanner->setWordWrap(true);
    m_modelBanner->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_modelBanner->setStyleSheet(QStringLiteral("QLabel { background: #b00020; color: white; font-weight: bold; padding: 10px; }"));
    m_modelBanner->hide();
    m_demoBanner = new QLabel(centre);
    m_demoBanner->setObjectName(QStringLiteral("demoBanner"));
    m_demoBanner->setWordWrap(true);
    m_demoBanner->setStyleSheet(QStringLiteral("QLabel { background: #e65100; color: white; font-weight: bold; padding: 6px; }"));
    m_demoBanner->hide();
    centreLayout->addWidget(m_demoBanner);
    centreLayout->addWidget(m_modelBanner);
    centreLayout->addWidget(m_viewer, 1);
    setCentralWidget(centre);
    connect(m_viewer, &ImageViewer::windowChangeRequested, this, &MainWindow::windowChangeRequested);

    auto dock = [this](const QString &title, QWidget *w, Qt::DockWidgetArea area, const QString &name) {
        auto *d = new QDockWidget(title, this);
        d->setObjectName(name);
        d->setWidget(w);
        addDockWidget(area, d);
        return d;
    };
    m_worklist = new WorklistView(this);
    m_worklist->setMinimumWidth(420);
    m_vitals = new VitalsPlot(this);
    m_vitals->setMinimumHeight(300);
    m_risk = new RiskPanel(this);
    m_risk->setMinimumWidth(360);
    m_risk->setMinimumHeight(330);
    m_notes = new NotesPanel(this);
    dock(tr("Worklist"), m_worklist, Qt::LeftDockWidgetArea, QStringLiteral("worklist"));
    dock(tr("Vitals timeline"), m_vitals, Qt::BottomDockWidgetArea, QStringLiteral("vitals"));
    dock(tr("Risk"), m_risk, Qt::RightDockWidgetArea, QStringLiteral("risk"));
    dock(tr("Treatment notes"), m_notes, Qt::RightDockWidgetArea, QStringLiteral("notes"));
    // Side docks run the full height; the timeline sits under the image only.
    setCorner(Qt::BottomLeftCorner, Qt::LeftDockWidgetArea);
    setCorner(Qt::BottomRightCorner, Qt::RightDockWidgetArea);
    connect(m_worklist, &WorklistView::patientSelected, this, &MainWindow::patientSelected);
    connect(m_notes, &NotesPanel::noteDecided, this, &MainWindow::noteDecided);
    connect(m_risk, &RiskPanel::modelCardRequested, this, &MainWindow::modelCardRequested);
    connect(m_viewer, &ImageViewer::overlayCaptionClicked, this, &MainWindow::modelCardRequested);
    connect(m_vitals, &VitalsPlot::modelCardRequested, this, &MainWindow::modelCardRequested);
    connect(m_vitals, &VitalsPlot::whatIfRequested, this, &MainWindow::whatIfRequested);

    QMenu *file = menuBar()->addMenu(tr("&File"));
    m_importAction = file->addAction(tr("Import folder of studies and vitals..."), this, [this] {
        const QString d = QFileDialog::getExistingDirectory(this, tr("Import cohort folder (one sub-folder per patient)"));
        if (!d.isEmpty()) emit importCohortRequested(d);
    });
    file->addAction(tr("Open DICOM image..."), this, [this] {
        const QString p = QFileDialog::getOpenFileName(this, tr("Open DICOM image"));
        if (!p.isEmpty()) emit openImageRequested(p);
    });
    file->addAction(tr("Open DICOM series (folder)..."), this, [this] {
        const QString d = QFileDialog::getExistingDirectory(this, tr("Open the DICOM series in a folder (slices decoded as they are shown)"));
        if (!d.isEmpty()) emit openSeriesRequested(d);
    });
    file->addAction(tr("Open DICOM segmentation..."), this, [this] {
        const QString p = QFileDialog::getOpenFileName(this, tr("Open DICOM Segmentation (shown on the open image it was derived from, else alone)"));
        if (!p.isEmpty()) emit openSegmentationRequested(p);
    });
    file->addAction(tr("Open vitals..."), this, [this] {
        const QString p = QFileDialog::getOpenFileName(this, tr("Open vitals"), {}, tr("Vitals (*.psv *.csv *.txt *.json);;All files (*)"));
        if (!p.isEmpty()) emit openVitalsRequested(p);
    });
    file->addAction(tr("Export PDF report of this patient..."), this, [this] {
        const QString p = QFileDialog::getSaveFileName(this, tr("Export PDF report"), {}, tr("PDF (*.pdf)"));
        if (!p.isEmpty()) emit reportRequested(p);
    });
    file->addAction(tr("Export de-identified copy of this patient..."), this, [this] {
        const QString d = QFileDialog::getExistingDirectory(this, tr("An empty folder for the de-identified copy (DICOM PS3.15)"));
        if (!d.isEmpty()) emit deidentifiedExportRequested(d);
    });
    file->addSeparator();
    file->addAction(tr("Quit"), this, &QWidget::close);
    m_pacs = new PacsPanel(this);
    QMenu *pacs = menuBar()->addMenu(tr("&PACS"));
    pacs->addAction(tr("Query/retrieve, nodes and listener..."), this, [this] { m_pacs->show(); m_pacs->raise(); });
    QMenu *account = menuBar()->addMenu(tr("&Account"));
    account->addAction(tr("Lock screen"), QKeySequence(Qt::CTRL | Qt::Key_L), this, &MainWindow::lockRequested);
    m_auditAction = account->addAction(tr("Audit log..."), this, &MainWindow::auditLogRequested);
    m_lock = new LockOverlay(this);

    m_toolbar = new ViewerToolbar(m_viewer, this);
    addToolBar(m_toolbar);
    connect(m_toolbar, &ViewerToolbar::windowChangeRequested, this, &MainWindow::windowChangeRequested);
    connect(m_toolbar, &ViewerToolbar::frameRequested, this, &MainWindow::frameRequested);
    connect(m_toolbar, &ViewerToolbar::tagsRequested, this, &MainWindow::tagsRequested);
    connect(m_toolbar, &ViewerToolbar::reviewStatusRequested, this, &MainWindow::reviewStatusRequested);

    m_progress = new QProgressBar(this);
    m_progress->setMaximumWidth(240);
    m_progress->hide();
    m_cancel = new QPushButton(tr("Cancel"), this);
    m_cancel->hide();
    connect(m_cancel, &QPushButton::clicked, this, &MainWindow::cancelJobRequested);
    m_modelStatus = new QLabel(this);
    m_auditStatus = new QLabel(this);
    m_signedIn = new QLabel(this);
    m_signedIn->setObjectName(QStringLiteral("signedIn"));
    statusBar()->addPermanentWidget(m_signedIn);
    statusBar()->addPermanentWidget(m_auditStatus);
    statusBar()->addPermanentWidget(m_modelStatus);
    statusBar()->addPermanentWidget(m_progress);
    statusBar()->addPermanentWidget(m_cancel);
    statusBar()->showMessage(tr("For research and decision support — not a diagnosis."));
}

void MainWindow::setModelStatus(const QString &text) { m_modelStatus->setText(text); }

void MainWindow::setSession(const QString &who, const QString &role, bool demo)
{
    m_signedIn->setText(tr("Signed in: %1 (%2)").arg(who, role));
    m_demoBanner->setVisible(demo);
    if (demo) {
        m_demoBanner->setText(tr("DEMO — the demo user on the demo's own database, with public demo data only. Not for patients; "
                                 "for research and decision support — not a diagnosis."));
        setWindowTitle(tr("ClinSight DEMO — for research and decision support, not a diagnosis"));
    }
}

QString MainWindow::sessionBanner() const { return m_demoBanner->isHidden() ? QString() : m_demoBanner->text(); }

void MainWindow::setPermissions(const WindowPermissions &p, const QString &role)
{
    const QString why = tr("Not allowed for the %1 role").arg(role);
    m_notes->setDecisionsAllowed(p.decideNotes, why);
    m_toolbar->setReviewAllowed(p.reviewStudies, why);
    m_pacs->setNodeEditingAllowed(p.managePacsNodes, tr("Only an administrator saves or removes PACS nodes"));
    m_auditAction->setEnabled(p.readAudit);
    m_importAction->setEnabled(p.viewPatients);
    m_worklist->setEnabled(p.viewPatients);
}

void MainWindow::lockScreen(const QString &user)
{
    menuBar()->setEnabled(false);
    for (QWidget *w : findChildren<QDialog *>()) w->hide();   // no patient data left in a dialog
    m_lock->lock(user);
}

void MainWindow::confirm(const QString &title, const QString &text, std::function<void(bool)> answer)
{
    if (cs::env::noDialogs()) { answer(false); return; }
    auto *box = new QMessageBox(QMessageBox::Question, title, text, QMessageBox::Yes | QMessageBox::No, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::finished, this, [answer](int result) { answer(result == QMessageBox::Yes); });
    box->open();
}

void MainWindow::chooseOne(const QString &title, const QString &text, const QStringList &items, int preferred,
                           std::function<void(int)> answer)
{
    if (cs::env::noDialogs() || items.size() < 2) { answer(items.isEmpty() ? -1 : std::clamp(preferred, 0, int(items.size()) - 1)); return; }
    auto *d = new QInputDialog(this);
    d->setAttribute(Qt::WA_DeleteOnClose);
    d->setWindowTitle(title);
    d->setLabelText(text);
    d->setComboBoxItems(items);
    d->setComboBoxEditable(false);
    d->setTextValue(items.value(preferred));
    connect(d, &QInputDialog::finished, this, [d, items, answer](int result) {
        answer(result == QDialog::Accepted ? int(items.indexOf(d->textValue())) : -1);
    });
    d->open();
}

void MainWindow::unlockScreen()
{
    m_lock->unlock();
    menuBar()->setEnabled(true);
}

PasswordPrompt *MainWindow::promptPassword(const QString &user, const QString &purpose)
{
    auto *p = new PasswordPrompt(user, purpose, this);
    p->setAttribute(Qt::WA_DeleteOnClose);
    p->open();
    return p;
}

AuditLogDialog *MainWindow::showAuditLog()
{
    if (!m_audit) m_audit = new AuditLogDialog(this);
    m_audit->show();
    m_audit->raise();
    return m_audit;
}
void MainWindow::showWhatIf(const QString &text) { m_vitals->setWhatIfResult(text); }

void MainWindow::setWorklist(const std::vector<WorklistRow> &rows) { m_worklist->setRows(rows); }
void MainWindow::addWorklistRow(const WorklistRow &row) { m_worklist->addRow(row); }

void MainWindow::showPatient(const cs::PatientAssessment &a, const cs::ModelThresholds &thr, int frameCount)
{
    m_identityWarning.clear();
    if (a.frame) {
        m_viewer->setFrame(*a.frame);
        m_viewer->fitToWindow();
        if (a.imageInfo) {
            const auto &i = *a.imageInfo;
            m_viewer->setAnnotations({a.inputs.displayName, i.patientName, QStringLiteral("ID %1").arg(i.patientId)},
                                     {i.modality + QStringLiteral(" ") + i.bodyPart, i.studyDate, i.studyDescription},
                                     {QStringLiteral("%1 x %2, %3 frame(s), %4").arg(i.columns).arg(i.rows).arg(i.frames).arg(i.photometric)});
            m_viewer->setPixelSpacing(i.hasPixelSpacing ? i.pixelSpacingRow : 0, i.hasPixelSpacing ? i.pixelSpacingCol : 0);
            m_toolbar->setPresets(i.modality, i.windows, a.frame->channels == 1);
        } else {
            m_viewer->setAnnotations({a.inputs.displayName, a.imagePath.section('/', -1)}, {tr("PNG (taken as chest radiograph)")},
                                     {QStringLiteral("%1 x %2").arg(a.frame->width).arg(a.frame->height)});
            m_viewer->setPixelSpacing(0, 0);
            m_toolbar->setPresets({}, {}, false);
        }
        if (a.image && a.image->applicable && !a.image->gradCam.isNull()) {
            m_viewer->setSaliency(a.image->gradCam, tr("Grad-CAM (image branch)"));
            m_viewer->setOverlayCaption(thr.imageExplanationFaithfulness.isEmpty()
                                            ? tr("Faithfulness of this heatmap not measured for this model (see the model card).")
                                            : thr.imageExplanationFaithfulness);
        } else {
            m_viewer->setSaliency({}, {});
            m_viewer->setOverlayCaption({});
        }
    } else {
        m_viewer->setPlaceholder(tr("No readable image for this patient."));
    }
    m_toolbar->setFrameCount(frameCount);
    if (a.vitals) {
        m_vitals->setTimeline(*a.vitals);
        m_vitals->setScores(a.scores);
        if (a.vitalsRisk && a.vitalsRisk->applicable) {
            m_vitals->setAttention(a.vitalsRisk->attention);
            m_vitals->setAttentionFaithfulness(thr.attentionFaithfulness.isEmpty()
                                                   ? tr("Faithfulness of the attention band not measured for this model.")
                                                   : thr.attentionFaithfulness);
        } else {
            m_vitals->setAttentionFaithfulness({});
        }
        if (const auto when = cs::imageTimeOnTimeline(a))
            m_vitals->setImageTime(when->hours, when->source == cs::ImageTiming::Source::WallClock
                                                    ? tr("image acquired") : tr("image (hour from patient.json)"));
    } else {
        m_vitals->clear(tr("No vitals record for this patient."));
    }
    m_risk->showAssessment(a, thr);
}

void MainWindow::showSuggestions(const std::vector<cs::Suggestion> &s, const QString &rulesVersion) { m_notes->setSuggestions(s, rulesVersion); }
void MainWindow::showSavedNotes(const std::vector<cs::NoteRecord> &notes) { m_notes->setSavedNotes(notes); }
void MainWindow::showFrame(const cs::DisplayFrame &frame) { m_viewer->setFrame(frame); }

void MainWindow::showImage(const cs::DicomInstanceInfo &i, const cs::DisplayFrame &f)
{
    m_viewer->setFrame(f);
    m_viewer->setSaliency({}, {});
    m_viewer->setAnnotations({i.patientName, i.patientId, i.patientBirthDate},
                             {i.modality + QStringLiteral(" ") + i.bodyPart, i.studyDate, i.studyDescription},
                             {QStringLiteral("%1 x %2, %3 frame(s)").arg(i.columns).arg(i.rows).arg(i.frames)});
    m_viewer->setPixelSpacing(i.hasPixelSpacing ? i.pixelSpacingRow : 0, i.hasPixelSpacing ? i.pixelSpacingCol : 0);
    m_viewer->fitToWindow();
    m_toolbar->setPresets(i.modality, i.windows, f.channels == 1);
    m_toolbar->setFrameCount(i.frames);
    statusBar()->showMessage(tr("Opened %1").arg(i.path), 5000);
}

void MainWindow::showSeries(const cs::DicomSeriesInfo &se, const cs::DisplayFrame &first, int slices, const QStringList &sliceLines)
{
    if (se.instances.empty()) return;
    showImage(se.instances.front(), first);
    m_viewer->setBottomLeftAnnotation(sliceLines);
    m_toolbar->setFrameCount(slices, tr("slice"));
    statusBar()->showMessage(tr("Opened series %1 (%2 slices)").arg(se.description.isEmpty() ? se.seriesUid : se.description).arg(slices), 5000);
}

void MainWindow::showSlice(const cs::DisplayFrame &frame, const QStringList &sliceLines)
{
    m_viewer->setFrame(frame);
    m_viewer->setBottomLeftAnnotation(sliceLines);
}

void MainWindow::showSegmentation(const cs::Segmentation &seg, const cs::SegmentOverlay &o, bool alone)
{
    QList<SegmentLegendEntry> legend;
    for (const auto &s : seg.segments()) {
        const bool here = std::find(o.segments.begin(), o.segments.end(), s.number) != o.segments.end();
        legend.push_back({QColor(s.rgb[0], s.rgb[1], s.rgb[2]), here ? s.displayName() : tr("%1 - not on this frame").arg(s.displayName()), here});
    }
    const QString what = seg.contentLabel().isEmpty() ? tr("Segmentation") : tr("Segmentation: %1").arg(seg.contentLabel());
    const QString how = alone ? tr("shown alone: the images it was derived from are not open") : tr("matched by %1").arg(o.matchedBy);
    QImage rgba;
    if (!alone && o.width > 0)
        rgba = QImage(o.rgba.data(), o.width, o.height, o.width * 4, QImage::Format_RGBA8888).copy();
    m_viewer->setSegmentation(rgba, what + QLatin1Char('\n') + how, legend);
    if (!seg.note().isEmpty()) statusBar()->showMessage(tr("Segmentation %1: %2").arg(seg.info().path, seg.note()), 10000);
}

void MainWindow::clearSegmentation(const QString &why)
{
    if (!m_viewer->hasSegmentation()) return;
    m_viewer->clearSegmentation();
    if (!why.isEmpty()) statusBar()->showMessage(why, 8000);
}

void MainWindow::showVitals(const cs::VitalsTimeline &t)
{
    m_vitals->setTimeline(t);
    statusBar()->showMessage(tr("Opened %1: %2 values, %3 excluded").arg(t.sourceFile).arg(t.sampleCount()).arg(t.excluded.size()), 5000);
}

void MainWindow::showTags(const QString &path, const std::vector<cs::DicomTagRow> &rows)
{
    auto *dlg = new TagDialog(path, rows, this);
    dlg->setAttribute(Qt::WA_DeleteOnClose);
    dlg->show();
}

void MainWindow::showIdentityConflict(const QString &what)
{
    m_identityWarning = what;
    statusBar()->showMessage(tr("IDENTITY CONFLICT: %1").arg(what));
    if (!cs::env::noDialogs())
        QMessageBox::critical(this, tr("Identity conflict"),
                              tr("The image and the vitals of this patient do not belong to the same person:\n\n%1\n\n"
                                 "No combined risk is shown. Check the sources before acting on either.").arg(what));
}

void MainWindow::showModelRefused(const cs::Error &e)
{
    m_modelBanner->setText(tr("MODEL REFUSED — %1\nNo model risk, heatmap or attention is shown: NEWS2 and qSOFA only. "
                              "Ask your administrator to install a bundle signed by a trusted key.").arg(e.message()));
    m_modelBanner->show();
    setWindowTitle(tr("ClinSight — MODEL REFUSED — for research and decision support, not a diagnosis"));
    setModelStatus(tr("Model REFUSED: scores only"));
    if (!cs::env::noDialogs())
        QMessageBox::critical(this, tr("Model bundle refused"),
                              tr("The model bundle failed verification and will not be used:\n\n%1\n\n"
                                 "ClinSight shows early-warning scores only until a bundle signed by a trusted key is installed.")
                                  .arg(e.message()));
}

void MainWindow::setAuditStatus(const QString &text, bool intact)
{
    m_auditStatus->setText(text);
    m_auditStatus->setStyleSheet(intact ? QString() : QStringLiteral("QLabel { color: white; background: #b00020; font-weight: bold; padding: 0 4px; }"));
}

QString MainWindow::auditStatus() const { return m_auditStatus->text(); }

QString MainWindow::modelRefusedBanner() const { return m_modelBanner->isHidden() ? QString() : m_modelBanner->text(); }

void MainWindow::showError(const QString &title, const cs::Error &e)
{
    statusBar()->showMessage(e.message(), 10000);
    if (!cs::env::noDialogs())
        QMessageBox::warning(this, title, e.message());
}

void MainWindow::showJobProgress(qint64 done, qint64 total, const QString &what)
{
    m_progress->show();
    m_cancel->show();
    m_progress->setRange(0, int(std::max<qint64>(total, 1)));
    m_progress->setValue(int(done));
    if (!what.isEmpty()) statusBar()->showMessage(what);
}

void MainWindow::showJobFinished(const QString &message)
{
    m_progress->hide();
    m_cancel->hide();
    statusBar()->showMessage(message, 8000);
}

} // namespace ui
