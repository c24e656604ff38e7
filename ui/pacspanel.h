#pragma once
// The hospital side in the workstation: PACS nodes (edited here, kept in
// settings by the workstation; admin), "Test" (C-ECHO / QIDO), a query/retrieve
// browser of studies and ClinSight's listener with its status. A view: it
// shows the nodes, matches and status handed to it and forwards intent as
// signals; it opens no connection and no file.
#include "clinsight/pacs/pacsnode.h"
#include "clinsight/pacs/query.h"

#include <QDialog>
#include <vector>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QTableWidget;

namespace ui {

class PacsPanel : public QDialog {
    Q_OBJECT
public:
    explicit PacsPanel(QWidget *parent = nullptr);
    void setNodes(const std::vector<cs::PacsNode> &nodes);
    std::vector<cs::PacsNode> nodes() const { return m_nodes; }
    cs::PacsNode editedNode() const;      // the form's values
    void setMatches(const std::vector<cs::StudyMatch> &matches);
    void setStatus(const QString &text, bool ok);
    void setListenerStatus(const QString &text, bool listening);
    QString statusText() const;
    QString listenerText() const;
    int matchCount() const;
    // For tests and scripted use: fill the form, ask.
    void setForm(const cs::PacsNode &n);
    void selectAllMatches();

signals:
    void saveNodesRequested(const std::vector<cs::PacsNode> &nodes);
    void testRequested(const cs::PacsNode &node);
    void searchRequested(const cs::PacsNode &node, const cs::StudyQuery &query);
    void retrieveRequested(const cs::PacsNode &node, const QStringList &studyUids);
    void listenerToggleRequested(const QString &aeTitle, int port, bool start);
    void cancelRequested();          // stop the search or retrieve in flight

public slots:
    void requestTest();
    void requestSearch();
    void requestRetrieve();

    // Saving and removing nodes is the administrator's (the others can use the saved ones).
    void setNodeEditingAllowed(bool allowed, const QString &why = {});
private:
    void showNode(int index);
    QPushButton *m_saveNode = nullptr, *m_removeNode = nullptr;
    std::vector<cs::PacsNode> m_nodes;
    std::vector<cs::StudyMatch> m_matches;
    bool m_listening = false;
    QComboBox *m_nodeList;
    QLineEdit *m_name, *m_aet, *m_host, *m_web, *m_ourAet, *m_patientId, *m_modalities, *m_dates;
    QSpinBox *m_port, *m_ourPort, *m_timeout, *m_listenPort;
    QTableWidget *m_table;
    QLabel *m_status, *m_listener;
    QPushButton *m_listenButton;
};

} // namespace ui
