#include "mainwindow.h"

#include "imageviewer.h"
#include "riskpanel.h"
#include "vitalsplot.h"

#include "core/assessment.h"
#include "core/dicom.h"
#include "core/error.h"
#include "core/treatmentrules.h"
#include "core/vitals.h"

#include <QComboBox>
#include <QDialog>
#include <QDockWidget>
#include <QFileDialog>
#include <QHeaderView>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSlider>
#include <QStatusBar>
#include <QTableWidget>
#include <QTimer>
#include <QToolBar>
#include <QVBoxLayout>

namespace ui {

namespace {
struct Preset { const char *name; double center, width; };
// Common CT windows (Hounsfield units).
const Preset kCtPresets[] = {{"CT lung", -600, 1500}, {"CT mediastinum", 50, 350}, {"CT bone", 400, 1800},
                             {"CT brain", 40, 80}, {"CT soft tissue", 40, 400}};
} // namespace

MainWindow::MainWindow(QWidget *parent) : QMainWindow(parent)
{
    setWindowTitle(tr("ClinSight — for research and decision support, not a diagnosis"));
    resize(1500, 950);
    m_viewer = new ImageViewer(this);
    setCentralWidget(m_viewer);
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

    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("Import folder of studies and vitals..."), this, [this] {
        const QString d = QFileDialog::getExistingDirectory(this, tr("Import cohort folder (one sub-folder per patient)"));
        if (!d.isEmpty()) emit importCohortRequested(d);
    });
    file->addAction(tr("Open DICOM image..."), this, [this] {
        const QString p = QFileDialog::getOpenFileName(this, tr("Open DICOM image"));
        if (!p.isEmpty()) emit openImageRequested(p);
    });
    file->addAction(tr("Open vitals..."), this, [this] {
        const QString p = QFileDialog::getOpenFileName(this, tr("Open vitals"), {}, tr("Vitals (*.psv *.csv *.txt *.json);;All files (*)"));
        if (!p.isEmpty()) emit openVitalsRequested(p);
    });
    file->addSeparator();
    file->addAction(tr("Quit"), this, &QWidget::close);

    QToolBar *tb = addToolBar(tr("Image"));
    tb->setObjectName(QStringLiteral("imageToolbar"));
    m_presets = new QComboBox(this);
    m_presets->setMinimumWidth(170);
    m_presets->setToolTip(tr("Window presets (right-drag on the image adjusts window/level)"));
    tb->addWidget(m_presets);
    connect(m_presets, &QComboBox::activated, this, [this](int i) {
        const QVariant v = m_presets->itemData(i);
        if (v.isValid()) {
            const QPointF cw = v.toPointF();
            emit windowChangeRequested(cw.x(), cw.y());
        }
    });
    tb->addAction(tr("Fit"), m_viewer, &ImageViewer::fitToWindow);
    tb->addAction(tr("1:1"), m_viewer, &ImageViewer::zoomOneToOne);
    QAction *invert = tb->addAction(tr("Invert"));
    invert->setCheckable(true);
    connect(invert, &QAction::toggled, m_viewer, &ImageViewer::setInverted);
    QAction *measure = tb->addAction(tr("Measure"));
    measure->setCheckable(true);
    measure->setToolTip(tr("Left-drag to measure a distance in mm (from Pixel Spacing)"));
    connect(measure, &QAction::toggled, m_viewer, &ImageViewer::setMeasureMode);
    tb->addAction(tr("Tags"), this, &MainWindow::tagsRequested);
    tb->addSeparator();
    m_saliency = tb->addAction(tr("Saliency"));
    m_saliency->setCheckable(true);
    m_saliency->setChecked(true);
    m_saliency->setToolTip(tr("Grad-CAM of the image branch over the image"));
    connect(m_saliency, &QAction::toggled, m_viewer, &ImageViewer::setOverlayVisible);
    m_opacity = new QSlider(Qt::Horizontal, this);
    m_opacity->setRange(0, 100);
    m_opacity->setValue(45);
    m_opacity->setMaximumWidth(110);
    m_opacity->setToolTip(tr("Saliency opacity"));
    connect(m_opacity, &QSlider::valueChanged, this, [this](int v) { m_viewer->setOverlayOpacity(v / 100.0); });
    tb->addWidget(m_opacity);
    tb->addSeparator();
    m_frame = new QSlider(Qt::Horizontal, this);
    m_frame->setMaximumWidth(160);
    m_frame->setEnabled(false);
    m_frameLabel = new QLabel(tr("frame -"), this);
    tb->addWidget(m_frameLabel);
    tb->addWidget(m_frame);
    connect(m_frame, &QSlider::valueChanged, this, [this](int v) {
        m_frameLabel->setText(tr("frame %1/%2").arg(v + 1).arg(m_frame->maximum() + 1));
        emit frameRequested(v);
    });
    connect(m_viewer, &ImageViewer::frameStepRequested, this, [this](int d) { m_frame->setValue(m_frame->value() + d); });
    m_cineTimer = new QTimer(this);
    m_cineTimer->setInterval(100);
    connect(m_cineTimer, &QTimer::timeout, this, [this] {
        m_frame->setValue(m_frame->value() >= m_frame->maximum() ? 0 : m_frame->value() + 1);
    });
    m_cine = tb->addAction(tr("Cine"));
    m_cine->setCheckable(true);
    m_cine->setEnabled(false);
    connect(m_cine, &QAction::toggled, this, [this](bool on) { on ? m_cineTimer->start() : m_cineTimer->stop(); });
    tb->addSeparator();
    tb->addAction(tr("Mark reviewed"), this, [this] { emit reviewStatusRequested(QStringLiteral("reviewed")); });

    m_progress = new QProgressBar(this);
    m_progress->setMaximumWidth(240);
    m_progress->hide();
    m_cancel = new QPushButton(tr("Cancel"), this);
    m_cancel->hide();
    connect(m_cancel, &QPushButton::clicked, this, &MainWindow::cancelJobRequested);
    m_modelStatus = new QLabel(this);
    statusBar()->addPermanentWidget(m_modelStatus);
    statusBar()->addPermanentWidget(m_progress);
    statusBar()->addPermanentWidget(m_cancel);
    statusBar()->showMessage(tr("For research and decision support — not a diagnosis."));
    setPresets({}, {}, false);
}

void MainWindow::setModelStatus(const QString &text) { m_modelStatus->setText(text); }

void MainWindow::setPresets(const QString &modality, const QList<cs::VoiWindow> &fileWindows, bool enabled)
{
    m_presets->clear();
    m_presets->addItem(tr("Window presets"));
    for (const auto &w : fileWindows)
        if (!w.isLut) m_presets->addItem(tr("File: %1 (%2/%3)").arg(w.label).arg(w.center).arg(w.width), QPointF(w.center, w.width));
    if (modality == QLatin1String("CT"))
        for (const auto &p : kCtPresets)
            m_presets->addItem(QStringLiteral("%1 (%2/%3)").arg(QLatin1String(p.name)).arg(p.center).arg(p.width), QPointF(p.center, p.width));
    m_presets->setEnabled(enabled);
}

void MainWindow::setWorklist(const std::vector<WorklistRow> &rows) { m_worklist->setRows(rows); }

void MainWindow::showPatient(const cs::PatientAssessment &a, const cs::ModelThresholds &thr, int frameCount)
{
    if (a.frame) {
        m_viewer->setFrame(*a.frame);
        m_viewer->fitToWindow();
        if (a.imageInfo) {
            const auto &i = *a.imageInfo;
            m_viewer->setAnnotations({a.inputs.displayName, i.patientName, QStringLiteral("ID %1").arg(i.patientId)},
                                     {i.modality + QStringLiteral(" ") + i.bodyPart, i.studyDate, i.studyDescription},
                                     {QStringLiteral("%1 x %2, %3 frame(s), %4").arg(i.columns).arg(i.rows).arg(i.frames).arg(i.photometric)});
            m_viewer->setPixelSpacing(i.hasPixelSpacing ? i.pixelSpacingRow : 0, i.hasPixelSpacing ? i.pixelSpacingCol : 0);
            setPresets(i.modality, i.windows, a.frame->channels == 1);
        } else {
            m_viewer->setAnnotations({a.inputs.displayName, a.imagePath.section('/', -1)}, {tr("PNG (taken as chest radiograph)")},
                                     {QStringLiteral("%1 x %2").arg(a.frame->width).arg(a.frame->height)});
            m_viewer->setPixelSpacing(0, 0);
            setPresets({}, {}, false);
        }
        if (a.image && a.image->applicable && !a.image->gradCam.empty())
            m_viewer->setSaliency(a.image->gradCam, a.image->camWidth, a.image->camHeight, tr("Grad-CAM (image branch)"));
        else
            m_viewer->setSaliency({}, 0, 0, {});
    } else {
        m_viewer->setPlaceholder(tr("No readable image for this patient."));
    }
    m_frame->blockSignals(true);
    m_frame->setRange(0, std::max(0, frameCount - 1));
    m_frame->setValue(0);
    m_frame->blockSignals(false);
    m_frame->setEnabled(frameCount > 1);
    m_cine->setEnabled(frameCount > 1);
    m_cine->setChecked(false);
    m_frameLabel->setText(frameCount > 1 ? tr("frame 1/%1").arg(frameCount) : tr("single frame"));
    if (a.vitals) {
        m_vitals->setTimeline(*a.vitals);
        m_vitals->setScores(a.scores);
        if (a.vitalsRisk && a.vitalsRisk->applicable) m_vitals->setAttention(a.vitalsRisk->attention);
        // The image is marked from wall-clock times when both carry them, else from the cohort's image_hour.
        bool marked = false;
        if (a.vitals->start && a.imageInfo && !a.imageInfo->acquisitionDateTime.isEmpty()) {
            const QDateTime acq = QDateTime::fromString(a.imageInfo->acquisitionDateTime, Qt::ISODate);
            if (acq.isValid()) {
                m_vitals->setImageTime(a.vitals->start->secsTo(acq) / 3600.0, tr("image acquired"));
                marked = true;
            }
        }
        if (!marked && a.inputs.imageHour && a.frame)
            m_vitals->setImageTime(*a.inputs.imageHour, tr("image (hour from patient.json)"));
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
    m_viewer->setSaliency({}, 0, 0, {});
    m_viewer->setAnnotations({i.patientName, i.patientId, i.patientBirthDate},
                             {i.modality + QStringLiteral(" ") + i.bodyPart, i.studyDate, i.studyDescription},
                             {QStringLiteral("%1 x %2, %3 frame(s)").arg(i.columns).arg(i.rows).arg(i.frames)});
    m_viewer->setPixelSpacing(i.hasPixelSpacing ? i.pixelSpacingRow : 0, i.hasPixelSpacing ? i.pixelSpacingCol : 0);
    m_viewer->fitToWindow();
    setPresets(i.modality, i.windows, f.channels == 1);
    m_frame->setRange(0, std::max(0, i.frames - 1));
    m_frame->setEnabled(i.frames > 1);
    m_cine->setEnabled(i.frames > 1);
    statusBar()->showMessage(tr("Opened %1").arg(i.path), 5000);
}

void MainWindow::showVitals(const cs::VitalsTimeline &t)
{
    m_vitals->setTimeline(t);
    statusBar()->showMessage(tr("Opened %1: %2 values, %3 excluded").arg(t.sourceFile).arg(t.sampleCount()).arg(t.excluded.size()), 5000);
}

void MainWindow::showTags(const QString &path, const std::vector<cs::DicomTagRow> &rows)
{
    auto *dlg = new QDialog(this);
    dlg->setAttribute(Qt::WA_DeleteOnClose);
    dlg->setWindowTitle(tr("DICOM tags — %1").arg(path.section('/', -1)));
    dlg->resize(900, 600);
    auto *table = new QTableWidget(int(rows.size()), 4, dlg);
    table->setHorizontalHeaderLabels({tr("Tag"), tr("Name"), tr("VR"), tr("Value")});
    for (int r = 0; r < int(rows.size()); ++r) {
        table->setItem(r, 0, new QTableWidgetItem(QString(rows[r].depth * 2, ' ') + rows[r].tag));
        table->setItem(r, 1, new QTableWidgetItem(rows[r].name));
        table->setItem(r, 2, new QTableWidgetItem(rows[r].vr));
        table->setItem(r, 3, new QTableWidgetItem(rows[r].value));
    }
    table->horizontalHeader()->setStretchLastSection(true);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    auto *l = new QVBoxLayout(dlg);
    l->addWidget(table);
    dlg->show();
}

void MainWindow::showError(const QString &title, const cs::Error &e)
{
    statusBar()->showMessage(e.message(), 10000);
    if (!qEnvironmentVariableIsSet("CLINSIGHT_NO_DIALOGS"))
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
