#include "startupclock.h"

#include <QByteArray>
#include <QEvent>
#include <QFile>
#include <QList>
#include <QWidget>

#include <ctime>
#include <unistd.h>

double msSinceProcessStart()
{
    QFile f(QStringLiteral("/proc/self/stat"));
    if (!f.open(QIODevice::ReadOnly)) return -1;
    const QByteArray s = f.readAll();
    // Field 22 (starttime, clock ticks after boot); the command name (field 2) may hold spaces, so count after its ')'.
    const int close = s.lastIndexOf(')');
    if (close < 0) return -1;
    const QList<QByteArray> fields = s.mid(close + 2).split(' ');
    if (fields.size() < 20) return -1;
    bool ok = false;
    const double startTicks = fields[19].toDouble(&ok);   // field 22 is the 20th after the name
    const long hz = sysconf(_SC_CLK_TCK);
    timespec now{};
    if (!ok || hz <= 0 || clock_gettime(CLOCK_BOOTTIME, &now) != 0) return -1;
    return (double(now.tv_sec) + now.tv_nsec / 1e9 - startTicks / double(hz)) * 1000.0;
}

namespace {
class FirstPaint : public QObject {
public:
    FirstPaint(QWidget *w, std::function<void()> done) : QObject(w), m_done(std::move(done)) { w->installEventFilter(this); }
    bool eventFilter(QObject *o, QEvent *e) override
    {
        if (e->type() == QEvent::Paint) {
            o->removeEventFilter(this);
            auto done = std::move(m_done);
            deleteLater();
            done();   // before the paint itself: the window is being drawn now
        }
        return false;
    }
private:
    std::function<void()> m_done;
};
} // namespace

void afterFirstPaint(QWidget *widget, std::function<void()> done) { new FirstPaint(widget, std::move(done)); }
