#include "pacspanel.h"

#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>

namespace ui {

namespace {
QSpinBox *portBox(int max = 65535)
{
    auto *s = new QSpinBox;
    s->setRange(0, max);
    return s;
}
}

PacsPanel::PacsPanel(QWidget *parent) : QDialog(parent)
{
    setWindowTitle(tr("PACS - query/retrieve, nodes and listener"));
    auto *root = new QVBoxLayout(this);

    auto *nodeBox = new QGroupBox(tr("PACS node"));
    auto *form = new QFormLayout(nodeBox);
    m_nodeList = new QComboBox;
    form->addRow(tr("Saved nodes"), m_nodeList);
    m_name = new QLineEdit; m_aet = new QLineEdit; m_host = new QLineEdit; m_web = new QLineEdit; m_ourAet = new QLineEdit(QStringLiteral("CLINSIGHT"));
    m_port = portBox(); m_ourPort = portBox(); m_timeout = portBox(3600); m_timeout->setMinimum(1); m_timeout->setValue(30);
    m_web->setPlaceholderText(QStringLiteral("http://pacs:8042/dicom-web"));
    form->addRow(tr("Name"), m_name);
    form->addRow(tr("PACS AE title"), m_aet);
    form->addRow(tr("Host"), m_host);
    form->addRow(tr("Port (DIMSE)"), m_port);
    form->addRow(tr("DICOMweb URL"), m_web);
    form->addRow(tr("Our AE title"), m_ourAet);
    form->addRow(tr("Our port (C-MOVE destination)"), m_ourPort);
    form->addRow(tr("Timeout (s)"), m_timeout);
    auto *nodeButtons = new QHBoxLayout;
    auto *test = new QPushButton(tr("Test"));
    auto *save = new QPushButton(tr("Save node"));
    auto *remove = new QPushButton(tr("Remove node"));
    nodeButtons->addWidget(test); nodeButtons->addWidget(save); nodeButtons->addWidget(remove);
    m_saveNode = save;
    m_removeNode = remove;
    form->addRow(nodeButtons);
    root->addWidget(nodeBox);

    auto *queryBox = new QGroupBox(tr("Studies on the PACS"));
    auto *q = new QVBoxLayout(queryBox);
    auto *qf = new QHBoxLayout;
    m_patientId = new QLineEdit; m_patientId->setPlaceholderText(tr("Patient ID"));
    m_modalities = new QLineEdit(QStringLiteral("CR,DX")); m_modalities->setToolTip(tr("Modalities in study, any of"));
    m_dates = new QLineEdit; m_dates->setPlaceholderText(tr("YYYYMMDD-YYYYMMDD"));
    auto *search = new QPushButton(tr("Search"));
    qf->addWidget(m_patientId); qf->addWidget(m_modalities); qf->addWidget(m_dates); qf->addWidget(search);
    q->addLayout(qf);
    m_table = new QTableWidget(0, 7);
    m_table->setHorizontalHeaderLabels({tr("Date"), tr("Patient ID"), tr("Name"), tr("Modalities"), tr("Description"), tr("Instances"), tr("Study UID")});
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->horizontalHeader()->setStretchLastSection(true);
    q->addWidget(m_table);
    auto *retrieve = new QPushButton(tr("Retrieve and score selected"));
    auto *cancel = new QPushButton(tr("Cancel"));
    auto *actions = new QHBoxLayout;
    actions->addWidget(retrieve, 1);
    actions->addWidget(cancel);
    q->addLayout(actions);
    connect(cancel, &QPushButton::clicked, this, [this] { setStatus(tr("Cancelling..."), true); emit cancelRequested(); });
    root->addWidget(queryBox);

    auto *listenBox = new QGroupBox(tr("ClinSight's listener (studies pushed by modalities, routers, PACS)"));
    auto *lf = new QHBoxLayout(listenBox);
    m_listenPort = portBox(); m_listenPort->setMinimum(1); m_listenPort->setValue(11112);
    m_listenButton = new QPushButton(tr("Start listening"));
    m_listener = new QLabel(tr("not listening"));
    lf->addWidget(new QLabel(tr("Port"))); lf->addWidget(m_listenPort); lf->addWidget(m_listenButton); lf->addWidget(m_listener, 1);
    root->addWidget(listenBox);

    m_status = new QLabel;
    m_status->setWordWrap(true);
    root->addWidget(m_status);
    root->addWidget(new QLabel(tr("For research and decision support - not a diagnosis.")));

    connect(m_nodeList, qOverload<int>(&QComboBox::currentIndexChanged), this, &PacsPanel::showNode);
    connect(test, &QPushButton::clicked, this, &PacsPanel::requestTest);
    connect(search, &QPushButton::clicked, this, &PacsPanel::requestSearch);
    connect(retrieve, &QPushButton::clicked, this, &PacsPanel::requestRetrieve);
    connect(save, &QPushButton::clicked, this, [this] {
        const cs::PacsNode n = editedNode();
        if (const QString why = n.problem(); !why.isEmpty()) { setStatus(tr("Not saved: %1").arg(why), false); return; }
        std::vector<cs::PacsNode> list = m_nodes;
        auto it = std::find_if(list.begin(), list.end(), [&](const cs::PacsNode &x) { return x.name == n.name; });
        if (it != list.end()) *it = n; else list.push_back(n);
        emit saveNodesRequested(list);
    });
    connect(remove, &QPushButton::clicked, this, [this] {
        std::vector<cs::PacsNode> list = m_nodes;
        const QString name = m_name->text();
        list.erase(std::remove_if(list.begin(), list.end(), [&](const cs::PacsNode &x) { return x.name == name; }), list.end());
        emit saveNodesRequested(list);
    });
    connect(m_listenButton, &QPushButton::clicked, this, [this] {
        emit listenerToggleRequested(m_ourAet->text().trimmed(), m_listenPort->value(), !m_listening);
    });
}

void PacsPanel::setNodes(const std::vector<cs::PacsNode> &nodes)
{
    m_nodes = nodes;
    const QSignalBlocker b(m_nodeList);
    m_nodeList->clear();
    for (const auto &n : nodes) m_nodeList->addItem(n.name.isEmpty() ? n.label() : n.name);
    if (!nodes.empty()) showNode(0);
}

void PacsPanel::showNode(int i)
{
    if (i >= 0 && i < int(m_nodes.size())) setForm(m_nodes[size_t(i)]);
}

void PacsPanel::setForm(const cs::PacsNode &n)
{
    m_name->setText(n.name);
    m_aet->setText(n.calledAeTitle);
    m_host->setText(n.host);
    m_port->setValue(n.port);
    m_web->setText(n.dicomWebUrl);
    m_ourAet->setText(n.callingAeTitle);
    m_ourPort->setValue(n.localPort);
    m_timeout->setValue(n.timeoutSeconds);
}

cs::PacsNode PacsPanel::editedNode() const
{
    cs::PacsNode n;
    n.name = m_name->text().trimmed();
    n.calledAeTitle = m_aet->text().trimmed();
    n.host = m_host->text().trimmed();
    n.port = m_port->value();
    n.dicomWebUrl = m_web->text().trimmed();
    if (n.dicomWebUrl.endsWith(QLatin1Char('/'))) n.dicomWebUrl.chop(1);
    n.callingAeTitle = m_ourAet->text().trimmed();
    n.localPort = m_ourPort->value();
    n.timeoutSeconds = m_timeout->value();
    if (n.name.isEmpty()) n.name = n.hasDimse() ? n.calledAeTitle : n.dicomWebUrl;
    return n;
}

void PacsPanel::requestTest()
{
    const cs::PacsNode n = editedNode();
    if (const QString why = n.problem(); !why.isEmpty()) { setStatus(why, false); return; }
    setStatus(tr("Testing %1...").arg(n.label()), true);
    emit testRequested(n);
}

void PacsPanel::requestSearch()
{
    const cs::PacsNode n = editedNode();
    if (const QString why = n.problem(); !why.isEmpty()) { setStatus(why, false); return; }
    cs::StudyQuery q;
    q.patientId = m_patientId->text().trimmed();
    q.modalities = m_modalities->text().toUpper().split(QLatin1Char(','), Qt::SkipEmptyParts);
    for (QString &m : q.modalities) m = m.trimmed();
    if (!m_dates->text().trimmed().isEmpty() && !cs::parseDateRange(m_dates->text().trimmed(), q.dateFrom, q.dateTo)) {
        setStatus(tr("Study date '%1': expected YYYYMMDD-YYYYMMDD").arg(m_dates->text()), false);
        return;
    }
    setStatus(tr("Searching %1...").arg(n.label()), true);
    emit searchRequested(n, q);
}

void PacsPanel::requestRetrieve()
{
    QStringList uids;
    for (const QModelIndex &i : m_table->selectionModel()->selectedRows())
        if (i.row() < int(m_matches.size())) uids << m_matches[size_t(i.row())].studyUid;
    if (uids.isEmpty()) { setStatus(tr("Select the studies to retrieve."), false); return; }
    setStatus(tr("Retrieving %1 stud%2...").arg(uids.size()).arg(uids.size() == 1 ? QStringLiteral("y") : QStringLiteral("ies")), true);
    emit retrieveRequested(editedNode(), uids);
}

void PacsPanel::setMatches(const std::vector<cs::StudyMatch> &matches)
{
    m_matches = matches;
    m_table->setRowCount(int(matches.size()));
    for (int r = 0; r < int(matches.size()); ++r) {
        const cs::StudyMatch &m = matches[size_t(r)];
        const QStringList cells = {m.studyDate, m.patientId, m.patientName, m.modalities.join(QLatin1Char(',')), m.studyDescription,
                                   m.instanceCount < 0 ? QStringLiteral("?") : QString::number(m.instanceCount), m.studyUid};
        for (int c = 0; c < cells.size(); ++c) m_table->setItem(r, c, new QTableWidgetItem(cells[c]));
    }
}

void PacsPanel::selectAllMatches() { m_table->selectAll(); }
int PacsPanel::matchCount() const { return int(m_matches.size()); }

void PacsPanel::setStatus(const QString &text, bool ok)
{
    m_status->setText(text);
    m_status->setStyleSheet(ok ? QString() : QStringLiteral("color: #b00020; font-weight: bold;"));
}

void PacsPanel::setListenerStatus(const QString &text, bool listening)
{
    m_listening = listening;
    m_listener->setText(text);
    m_listenButton->setText(listening ? tr("Stop listening") : tr("Start listening"));
}

QString PacsPanel::statusText() const { return m_status->text(); }
QString PacsPanel::listenerText() const { return m_listener->text(); }

void PacsPanel::setNodeEditingAllowed(bool allowed, const QString &why)
{
    for (QPushButton *b : {m_saveNode, m_removeNode}) {
        b->setEnabled(allowed);
        b->setToolTip(allowed ? QString() : why);
    }
}

} // namespace ui
