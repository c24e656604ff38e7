#include "notespanel.h"

#include "clinsight/storage/clinicalstore.h"
#include "clinsight/clinical/treatmentrules.h"

#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace ui {

NotesPanel::NotesPanel(QWidget *parent) : QWidget(parent)
{
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(2, 2, 2, 2);
    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    m_box = new QWidget;
    m_list = new QVBoxLayout(m_box);
    m_list->addStretch();
    scroll->setWidget(m_box);
    m_saved = new QTextBrowser(this);
    m_saved->setMaximumHeight(140);
    outer->addWidget(new QLabel(tr("<b>Suggested notes</b> — edit, then accept or reject. Not an order."), this));
    outer->addWidget(scroll, 1);
    outer->addWidget(new QLabel(tr("<b>Saved notes</b>"), this));
    outer->addWidget(m_saved);
}

void NotesPanel::setSuggestions(const std::vector<cs::Suggestion> &list, const QString &rulesVersion)
{
    for (QWidget *w : m_items) w->deleteLater();
    m_items.clear();
    int i = 0;
    for (const auto &s : list) {
        auto *w = new QWidget(m_box);
        auto *l = new QVBoxLayout(w);
        l->setContentsMargins(0, 4, 0, 4);
        auto *edit = new QPlainTextEdit(s.text, w);
        edit->setObjectName(QStringLiteral("noteText"));
        edit->setMaximumHeight(90);
        auto *cite = new QLabel(QStringLiteral("<small><i>%1</i> — rules %2</small>").arg(s.guideline.toHtmlEscaped(), rulesVersion), w);
        cite->setWordWrap(true);
        auto *accept = new QPushButton(tr("Accept"), w);
        auto *reject = new QPushButton(tr("Reject"), w);
        auto *row = new QHBoxLayout;
        row->addWidget(accept);
        row->addWidget(reject);
        row->addStretch();
        l->addWidget(edit);
        l->addWidget(cite);
        l->addLayout(row);
        w->setProperty("ruleId", s.ruleId);
        w->setProperty("suggestion", s.text);
        w->setProperty("guideline", s.guideline);
        const int index = i++;
        connect(accept, &QPushButton::clicked, this, [this, index, edit] { decide(index, edit->toPlainText(), true); });
        connect(reject, &QPushButton::clicked, this, [this, index, edit] { decide(index, edit->toPlainText(), false); });
        m_list->insertWidget(m_list->count() - 1, w);
        w->setEnabled(m_allowed);
        w->setToolTip(m_allowed ? QString() : m_why);
        m_items.push_back(w);
    }
    if (list.empty()) {
        auto *none = new QLabel(tr("No suggestion: no rule's condition is met by this patient's findings."), m_box);
        m_list->insertWidget(0, none);
        m_items.push_back(none);
    }
}

int NotesPanel::suggestionCount() const
{
    int n = 0;
    for (QWidget *w : m_items) n += w->property("ruleId").isValid() ? 1 : 0;
    return n;
}

void NotesPanel::decide(int index, const QString &text, bool accept)
{
    if (index < 0 || index >= int(m_items.size()) || !m_allowed) return;
    QWidget *w = m_items[index];
    NoteDecision d;
    d.ruleId = w->property("ruleId").toString();
    d.suggestion = w->property("suggestion").toString();
    d.guideline = w->property("guideline").toString();
    d.text = text;
    d.status = !accept ? QStringLiteral("rejected") : (text == d.suggestion ? QStringLiteral("accepted") : QStringLiteral("edited"));
    w->setEnabled(false);
    emit noteDecided(d);
}

void NotesPanel::setSavedNotes(const std::vector<cs::NoteRecord> &notes)
{
    QString h;
    for (const auto &n : notes)
        h += QStringLiteral("<p><b>%1</b> by %2, %3 (model %4): %5</p>")
                 .arg(n.status, n.author.toHtmlEscaped(), n.savedAt.toLocalTime().toString(Qt::ISODate), n.modelVersion.toHtmlEscaped(),
                      n.text.toHtmlEscaped());
    m_saved->setHtml(h.isEmpty() ? tr("<i>none yet</i>") : h);
}

QString NotesPanel::savedText() const { return m_saved->toPlainText(); }

void NotesPanel::reopen(const QString &ruleId)
{
    for (QWidget *w : m_items)
        if (w->property("ruleId").toString() == ruleId) w->setEnabled(m_allowed);
}

void NotesPanel::setDecisionsAllowed(bool allowed, const QString &why)
{
    m_allowed = allowed;
    m_why = why;
    for (QWidget *w : m_items) {
        w->setEnabled(allowed);
        w->setToolTip(allowed ? QString() : why);
    }
}

} // namespace ui
