#pragma once
// The workstation window: worklist, image viewer (centre), vitals timeline,
// risk and notes as docks. It shows core objects handed to it and forwards
// what the user asks for as signals; it opens no file, database or model.
#include "notespanel.h"
#include "worklistview.h"

#include <QMainWindow>
#include <functional>
#include <vector>

class QLabel;
class QProgressBar;
class QPushButton;
namespace cs {
class VitalsTimeline;
struct DisplayFrame;
struct DicomInstanceInfo;
struct DicomSeriesInfo;
struct Error;
struct PatientAssessment;
struct ModelThresholds;
struct Suggestion;
struct NoteRecord;
struct DicomTagRow;
class Segmentation;
struct SegmentOverlay;
}

namespace ui {

class ImageViewer;
class ViewerToolbar;
class VitalsPlot;
class RiskPanel;
class PacsPanel;
class LockOverlay;
class PasswordPrompt;
class AuditLogDialog;

// What the signed-in user may do, as the window needs to know it.
struct WindowPermissions {
    bool viewPatients = true, decideNotes = true, reviewStudies = true, managePacsNodes = true, readAudit = true;
};

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
    ImageViewer *imageViewer() const { return m_viewer; }
    VitalsPlot *vitalsPlot() const { return m_vitals; }
    WorklistView *worklist() const { return m_worklist; }
    RiskPanel *riskPanel() const { return m_risk; }
    NotesPanel *notesPanel() const { return m_notes; }

    // Who is signed in: the status bar names them; the demo gets a banner no one can miss.
    void setSession(const QString &who, const QString &role, bool demo);
    QString sessionBanner() const;   // the demo banner's text (empty when not the demo)
    void setPermissions(const WindowPermissions &p, const QString &role);
    LockOverlay *lockOverlay() const { return m_lock; }
    void lockScreen(const QString &user);
    void unlockScreen();
    // A yes/no question answered through answer (not a nested event loop); with
    // CLINSIGHT_NO_DIALOGS the answer is no.
    void confirm(const QString &title, const QString &text, std::function<void(bool)> answer);
    // One of items chosen through answer (its index; -1 when cancelled), preferred offered first;
    // with CLINSIGHT_NO_DIALOGS the answer is preferred.
    void chooseOne(const QString &title, const QString &text, const QStringList &items, int preferred, std::function<void(int)> answer);
    // A password prompt for signing (open, not exec: the event loop keeps running).
    PasswordPrompt *promptPassword(const QString &user, const QString &purpose);
    AuditLogDialog *showAuditLog();   // created once, raised

    void setWorklist(const std::vector<WorklistRow> &rows);
    void addWorklistRow(const WorklistRow &row);
    void showPatient(const cs::PatientAssessment &a, const cs::ModelThresholds &thr, int frameCount);
    void showSuggestions(const std::vector<cs::Suggestion> &s, const QString &rulesVersion);
    void showSavedNotes(const std::vector<cs::NoteRecord> &notes);
    void showFrame(const cs::DisplayFrame &frame);
    void showImage(const cs::DicomInstanceInfo &info, const cs::DisplayFrame &frame);  // a single file opened by hand
    // A series opened by hand: its first slice, the slider over its slices, where the slice lies.
    void showSeries(const cs::DicomSeriesInfo &series, const cs::DisplayFrame &first, int slices, const QStringList &sliceLines);
    void showSlice(const cs::DisplayFrame &frame, const QStringList &sliceLines);
    // A DICOM Segmentation over the shown frame (alone: its segments are the frame itself,
    // only the legend is added); clearSegmentation(why) removes it and says why in the status bar.
    void showSegmentation(const cs::Segmentation &seg, const cs::SegmentOverlay &overlay, bool alone);
    void clearSegmentation(const QString &why);
    void showVitals(const cs::VitalsTimeline &t);
    void showTags(const QString &path, const std::vector<cs::DicomTagRow> &rows);
    void showError(const QString &title, const cs::Error &e);
    void showJobProgress(qint64 done, qint64 total, const QString &what);
    void showJobFinished(const QString &message);
    void setModelStatus(const QString &text);
    // The audit log's verification (hash chain and signed head), in the status bar; red when it failed.
    void setAuditStatus(const QString &text, bool intact);
    QString auditStatus() const;
    // The model bundle failed verification (unsigned, untrusted key, edited): a red banner
    // above the image that stays for the session, and (without CLINSIGHT_NO_DIALOGS) a modal.
    void showModelRefused(const cs::Error &e);
    QString modelRefusedBanner() const;
    void showWhatIf(const QString &text);
    // Image and vitals (or patient.json) are of different patients: a modal warning the
    // clinician must acknowledge (a status-bar banner only with CLINSIGHT_NO_DIALOGS).
    void showIdentityConflict(const QString &what);
    QString identityWarning() const { return m_identityWarning; }
    ViewerToolbar *viewerToolbar() const { return m_toolbar; }
    // PACS nodes, query/retrieve and the listener (PACS menu); hidden until asked for.
    PacsPanel *pacsPanel() const { return m_pacs; }

signals:
    void importCohortRequested(const QString &dir);
    void openImageRequested(const QString &path);
    void openSeriesRequested(const QString &folder);
    void openSegmentationRequested(const QString &path);
    void openVitalsRequested(const QString &path);
    void patientSelected(const QString &patientId);
    void windowChangeRequested(double center, double width);
    void frameRequested(int frame);
    void tagsRequested();
    void noteDecided(const ui::NoteDecision &d);
    void reviewStatusRequested(const QString &status);
    void modelCardRequested();
    void cancelJobRequested();
    void whatIfRequested();
    void lockRequested();
    void auditLogRequested();
    void deidentifiedExportRequested(const QString &dir);
    void reportRequested(const QString &pdfPath);   // the shown patient's assessment as a PDF   // re-score the shown vitals without their most-attended hours

private:
    ImageViewer *m_viewer;
    ViewerToolbar *m_toolbar;
    PacsPanel *m_pacs;
    VitalsPlot *m_vitals;
    QLabel *m_modelBanner = nullptr;
    QLabel *m_demoBanner = nullptr;
    QLabel *m_signedIn = nullptr;
    LockOverlay *m_lock = nullptr;
    AuditLogDialog *m_audit = nullptr;
    QAction *m_auditAction = nullptr;
    QAction *m_importAction = nullptr;
    QLabel *m_auditStatus = nullptr;
    WorklistView *m_worklist;
    RiskPanel *m_risk;
    NotesPanel *m_notes;
    QProgressBar *m_progress;
    QPushButton *m_cancel;
    QLabel *m_modelStatus;
    QString m_identityWarning;
};

} // namespace ui
