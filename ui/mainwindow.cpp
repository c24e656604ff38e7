#include "mainwindow.h"

#include "imageviewer.h"
#include "vitalsplot.h"

#include "core/dicom.h"
#include "core/error.h"
#include "core/vitals.h"

#include <QDockWidget>
#include <QFileDialog>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QStatusBar>

namespace ui {

namespace {
QLabel *placeholder(const QString &text)
{
    auto *l = new QLabel(text);
    l->setWordWrap(true);
    l->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    l->setMargin(8);
    return l;
}
} // namespace

MainWindow::MainWindow(QWidget *parent) : QMainWindow(parent)
{
    setWindowTitle(tr("ClinSight — for research and decision support, not a diagnosis"));
    resize(1400, 900);
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
    m_worklist = placeholder(tr("Worklist: not available yet in this build — studies flagged by the model will be listed here."));
    m_vitals = new VitalsPlot(this);
    m_vitals->setMinimumHeight(320);
    m_risk = placeholder(tr("Risk: no model is loaded in this build — no risk is shown. NEWS2 and qSOFA will appear here."));
    m_notes = placeholder(tr("Treatment notes: not available yet in this build."));
    dock(tr("Worklist"), m_worklist, Qt::LeftDockWidgetArea, QStringLiteral("worklist"));
    dock(tr("Vitals timeline"), m_vitals, Qt::BottomDockWidgetArea, QStringLiteral("vitals"));
    dock(tr("Risk"), m_risk, Qt::RightDockWidgetArea, QStringLiteral("risk"));
    dock(tr("Notes"), m_notes, Qt::RightDockWidgetArea, QStringLiteral("notes"));

    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("Open DICOM image..."), this, [this] {
        const QString p = QFileDialog::getOpenFileName(this, tr("Open DICOM image"));
        if (!p.isEmpty()) emit openImageRequested(p);
    });
    file->addAction(tr("Open vitals..."), this, [this] {
        const QString p = QFileDialog::getOpenFileName(this, tr("Open vitals"), {},
                                                       tr("Vitals (*.psv *.csv *.txt *.json);;All files (*)"));
        if (!p.isEmpty()) emit openVitalsRequested(p);
    });
    file->addSeparator();
    file->addAction(tr("Quit"), this, &QWidget::close);
    QMenu *view = menuBar()->addMenu(tr("&View"));
    view->addAction(tr("Fit"), m_viewer, &ImageViewer::fitToWindow);
    view->addAction(tr("1:1"), m_viewer, &ImageViewer::zoomOneToOne);

    m_progress = new QProgressBar(this);
    m_progress->setMaximumWidth(240);
    m_progress->hide();
    m_cancel = new QPushButton(tr("Cancel"), this);
    m_cancel->hide();
    connect(m_cancel, &QPushButton::clicked, this, &MainWindow::cancelJobRequested);
    statusBar()->addPermanentWidget(m_progress);
    statusBar()->addPermanentWidget(m_cancel);
    statusBar()->showMessage(tr("For research and decision support — not a diagnosis."));
}

void MainWindow::showImage(const cs::DicomInstanceInfo &i, const cs::DisplayFrame &f)
{
    m_viewer->setFrame(f);
    m_viewer->setAnnotations({i.patientName, i.patientId, i.patientBirthDate},
                             {i.modality + QStringLiteral(" ") + i.bodyPart, i.studyDate, i.studyDescription},
                             {QStringLiteral("%1 x %2, %3 frame(s)").arg(i.columns).arg(i.rows).arg(i.frames)});
    m_viewer->fitToWindow();
    statusBar()->showMessage(tr("Opened %1").arg(i.path), 5000);
}

void MainWindow::showVitals(const cs::VitalsTimeline &t)
{
    m_vitals->setTimeline(t);
    statusBar()->showMessage(tr("Opened %1: %2 values, %3 excluded").arg(t.sourceFile).arg(t.sampleCount()).arg(t.excluded.size()), 5000);
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
    statusBar()->showMessage(message, 5000);
}

} // namespace ui
