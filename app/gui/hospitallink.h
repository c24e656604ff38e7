#pragma once
// The workstation's link to the hospital: the PACS panel's requests carried
// out in the background (nodes saved to settings, Test, Search, Retrieve) and
// ClinSight's listener. Retrieved and received studies are imported through
// the workstation like any cohort (scored as a job, kept in the database),
// so they appear on the worklist, most urgent first, with no further click.
// GUI thread only; the network work runs on the thread pool, never waited on.
#include "clinsight/foundation/job.h"
#include "clinsight/pacs/storagelistener.h"

#include <QObject>
#include <functional>
#include <memory>

namespace ui { class PacsPanel; }

class HospitalLink : public QObject {
    Q_OBJECT
public:
    // importStudies(dir): import DIR/<StudyUID>/ folders as a cohort.
    HospitalLink(ui::PacsPanel *panel, std::function<void(const QString &dir)> importStudies, QObject *parent = nullptr);
    ~HospitalLink() override;
    // Saving or removing nodes: refused with this error unless allowed (the administrator's).
    void setNodeEditingAllowed(cs::Status allowed) { m_nodeEditing = std::move(allowed); }
    void cancel();                  // network work in flight stops at its next step; the listener stops
    // The folder of this database's studies from the PACS (retrieved/, received/), owner-only; the
    // workstation keeps it beside the database, and its files encrypted (protectedfile.h).
    void setStudiesFolder(const QString &folder) { m_studies = folder; }
    QString studiesDir() const;     // where retrieved studies land
    QString receivedDir() const;    // where the listener keeps pushed studies

signals:
    void testFinished(bool ok);
    void searchFinished(bool ok);
    void retrieveFinished(bool ok);
    void listenerChanged(bool listening);

private:
    void toggleListener(const QString &ae, int port, bool start);
    ui::PacsPanel *m_panel;
    std::function<void(const QString &)> m_import;
    std::shared_ptr<cs::JobControl> m_job = std::make_shared<cs::JobControl>();
    std::unique_ptr<cs::StorageListener> m_listener;
    cs::Status m_nodeEditing = cs::Ok{};
    QString m_studies;
};
