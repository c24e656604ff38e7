#pragma once
// Suggested treatment notes: each suggestion (with the guideline it cites)
// in an editable box with Accept and Reject; saved notes below with author,
// time and model version. Decisions are forwarded; saving is the app's job.
#include <QWidget>
#include <vector>

class QVBoxLayout;
class QTextBrowser;
namespace cs { struct Suggestion; struct NoteRecord; }

namespace ui {

struct NoteDecision {
    QString ruleId, suggestion, text, guideline, status;  // status: accepted, edited, rejected
};

class NotesPanel : public QWidget {
    Q_OBJECT
public:
    explicit NotesPanel(QWidget *parent = nullptr);
    void setSuggestions(const std::vector<cs::Suggestion> &s, const QString &rulesVersion);
    void setSavedNotes(const std::vector<cs::NoteRecord> &notes);
    int suggestionCount() const;
    void decide(int index, const QString &text, bool accept);   // what the buttons do; also for tests
    QString savedText() const;
    // A decision that was not saved (signature cancelled or refused) can be made again.
    void reopen(const QString &ruleId);
    // Roles that may not decide notes see the suggestions read-only.
    void setDecisionsAllowed(bool allowed, const QString &why = {});
signals:
    void noteDecided(const ui::NoteDecision &d);
private:
    QWidget *m_box;
    QVBoxLayout *m_list;
    QTextBrowser *m_saved;
    std::vector<QWidget *> m_items;
    bool m_allowed = true;
    QString m_why;
};

} // namespace ui
