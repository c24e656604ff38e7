#include "workstation.h"

#include "core/vitalsimport.h"
#include "ui/mainwindow.h"

#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>

Workstation::Workstation(ui::MainWindow *window, QObject *parent) : QObject(parent), m_window(window)
{
    connect(window, &ui::MainWindow::openImageRequested, this, &Workstation::openImage);
    connect(window, &ui::MainWindow::openVitalsRequested, this, &Workstation::openVitals);
    connect(window, &ui::MainWindow::windowChangeRequested, this, &Workstation::applyWindow);
}

void Workstation::openImage(const QString &path)
{
    using R = cs::Result<std::pair<cs::DicomImageSource, cs::DisplayFrame>>;
    auto *watcher = new QFutureWatcher<R>(this);
    connect(watcher, &QFutureWatcher<R>::finished, this, [this, watcher] {
        R r = watcher->result();
        watcher->deleteLater();
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
    watcher->setFuture(QtConcurrent::run([path]() -> R {
        auto src = cs::DicomImageSource::open(path);
        if (!src) return src.error();
        auto frame = src->render(0);
        if (!frame) return frame.error();
        return std::make_pair(src.value(), frame.value());
    }));
}

void Workstation::openVitals(const QString &path)
{
    using R = cs::Result<cs::VitalsTimeline>;
    auto *watcher = new QFutureWatcher<R>(this);
    connect(watcher, &QFutureWatcher<R>::finished, this, [this, watcher] {
        R r = watcher->result();
        watcher->deleteLater();
        if (!r) {
            m_window->showError(tr("Cannot open vitals"), r.error());
            emit vitalsLoaded(false);
            return;
        }
        m_vitals = r.value();
        m_window->showVitals(*m_vitals);
        emit vitalsLoaded(true);
    });
    watcher->setFuture(QtConcurrent::run([path]() -> R { return cs::importVitals(path); }));
}

void Workstation::applyWindow(double center, double width)
{
    if (!m_image || m_image->isColor()) return;
    auto f = m_image->render(m_frame, cs::VoiChoice::custom(center, width));
    if (f) m_window->showImage(m_image->info(), f.value());
}
