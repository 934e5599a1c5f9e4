#include "search/searchfield.h"

#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileInfo>
#include <QMimeData>

namespace lodestone::ui {

namespace {

// The first local file among the dropped URLs, or "".
QString droppedFile(const QMimeData *mime)
{
    if (!mime || !mime->hasUrls())
        return {};
    for (const QUrl &url : mime->urls())
        if (url.isLocalFile() && QFileInfo(url.toLocalFile()).isFile())
            return url.toLocalFile();
    return {};
}

} // namespace

SearchField::SearchField(QWidget *parent)
    : QLineEdit(parent)
{
    setPlaceholderText(tr("Search by text, e.g. \"a beach at sunset\", or drop a photo here"));
    setClearButtonEnabled(true);
    setAcceptDrops(true);
    m_settle.setSingleShot(true);
    m_settle.setInterval(350); // long enough not to search on every key, short enough to feel live
    connect(&m_settle, &QTimer::timeout, this, &SearchField::fire);
    connect(this, &QLineEdit::textEdited, this, [this] { m_settle.start(); });
    connect(this, &QLineEdit::textChanged, this, [this](const QString &text) {
        if (text.isEmpty()) // the clear button
            fire();
    });
    connect(this, &QLineEdit::returnPressed, this, [this] {
        m_lastFired.clear(); // Enter searches again even when the text did not change
        fire();
    });
}

void SearchField::setQuery(const QString &query)
{
    setText(query);
    m_lastFired.clear();
    fire();
}

void SearchField::fire()
{
    m_settle.stop();
    const QString query = text().trimmed();
    if (query == m_lastFired && !query.isEmpty())
        return;
    m_lastFired = query;
    Q_EMIT queryChanged(query);
}

void SearchField::dragEnterEvent(QDragEnterEvent *event)
{
    if (!droppedFile(event->mimeData()).isEmpty())
        event->acceptProposedAction();
    else
        QLineEdit::dragEnterEvent(event);
}

void SearchField::dragMoveEvent(QDragMoveEvent *event)
{
    if (!droppedFile(event->mimeData()).isEmpty())
        event->acceptProposedAction();
    else
        QLineEdit::dragMoveEvent(event);
}

void SearchField::dropEvent(QDropEvent *event)
{
    const QString path = droppedFile(event->mimeData());
    if (path.isEmpty()) {
        QLineEdit::dropEvent(event);
        return;
    }
    event->acceptProposedAction();
    Q_EMIT imageDropped(path);
}

} // namespace lodestone::ui
