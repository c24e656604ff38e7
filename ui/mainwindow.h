#pragma once
// The workstation window: worklist, image viewer, vitals timeline, risk and
// notes as docks around the image. It shows core objects handed to it and
// forwards what the user asks for as signals; it opens no file itself.
#include <QMainWindow>

class QLabel;
class QTextBrowser;
class QProgressBar;
class QPushButton;
namespace cs { class VitalsTimeline; struct DisplayFrame; struct DicomInstanceInfo; struct Error; }

namespace ui {

class ImageViewer;
class VitalsPlot;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
    ImageViewer *imageViewer() const { return m_viewer; }
    VitalsPlot *vitalsPlot() const { return m_vitals; }

    void showImage(const cs::DicomInstanceInfo &info, const cs::DisplayFrame &frame);
    void showVitals(const cs::VitalsTimeline &t);
    void showError(const QString &title, const cs::Error &e);
    void showJobProgress(qint64 done, qint64 total, const QString &what);
    void showJobFinished(const QString &message);

signals:
    void openImageRequested(const QString &path);
    void openVitalsRequested(const QString &path);
    void windowChangeRequested(double center, double width);
    void cancelJobRequested();

private:
    ImageViewer *m_viewer;
    VitalsPlot *m_vitals;
    QLabel *m_worklist, *m_risk, *m_notes;
    QProgressBar *m_progress;
    QPushButton *m_cancel;
};

} // namespace ui
