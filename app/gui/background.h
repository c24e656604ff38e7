#pragma once
// Work on the thread pool, its result handed back on context's (the GUI) thread:
// the one way the workstation and its PACS link run anything long. Never blocks;
// done is dropped if context is destroyed first.
#include <QFutureWatcher>
#include <QObject>
#include <QtConcurrent>

template <class R, class Work, class Done>
void runInBackground(QObject *context, Work work, Done done)
{
    auto *watcher = new QFutureWatcher<R>(context);
    QObject::connect(watcher, &QFutureWatcher<R>::finished, context, [watcher, done] {
        R r = watcher->result();
        watcher->deleteLater();
        done(std::move(r));
    });
    watcher->setFuture(QtConcurrent::run(std::move(work)));
}
