#include "grid/photogridview.h"

#include "grid/photodelegate.h"
#include "grid/photogridmodel.h"

#include <QApplication>
#include <QClipboard>
#include <QContextMenuEvent>
#include <QDesktopServices>
#include <QFileInfo>
#include <QMenu>
#include <QScrollBar>
#include <QUrl>

#include <algorithm>

namespace lodestone::ui {

PhotoGridView::PhotoGridView(QWidget *parent)
    : QListView(parent)
    , m_delegate(new PhotoDelegate(this))
{
    setViewMode(QListView::IconMode);
    setMovement(QListView::Static);
    setResizeMode(QListView::Adjust);
    setWrapping(true);
    setUniformItemSizes(true); // layout asks one item for its size, not 100 000
    setSelectionMode(QAbstractItemView::ExtendedSelection);
    setSelectionRectVisible(true);
    setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    setMouseTracking(true);
    setItemDelegate(m_delegate);
    setCellSize(160);
    connect(this, &QAbstractItemView::activated, this, [this](const QModelIndex &index) {
        Q_EMIT photoActivated(index.data(PhotoGridModel::PhotoIdRole).toLongLong());
    });
}

void PhotoGridView::setCellSize(int pixels)
{
    pixels = std::clamp(pixels, 64, 512);
    m_delegate->setCellSize(pixels);
    QStyleOptionViewItem option;
    initViewItemOption(&option);
    const QSize hint = m_delegate->sizeHint(option, {});
    setGridSize(hint + QSize(6, 6));
    verticalScrollBar()->setSingleStep(hint.height() / 4);
    doItemsLayout();
}

int PhotoGridView::cellSize() const
{
    return m_delegate->cellSize();
}

std::vector<int64_t> PhotoGridView::selectedPhotoIds() const
{
    std::vector<int64_t> ids;
    for (const QModelIndex &index : selectionModel()->selectedIndexes())
        ids.push_back(index.data(PhotoGridModel::PhotoIdRole).toLongLong());
    std::sort(ids.begin(), ids.end());
    return ids;
}

void PhotoGridView::selectPhoto(qint64 photoId)
{
    const auto *grid = qobject_cast<const PhotoGridModel *>(model());
    const int row = grid ? grid->rowOfPhoto(photoId) : -1;
    if (row < 0)
        return;
    const QModelIndex index = model()->index(row, 0);
    selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect);
    scrollTo(index, QAbstractItemView::PositionAtCenter);
}

void PhotoGridView::selectPhotos(const std::vector<int64_t> &photoIds)
{
    const auto *grid = qobject_cast<const PhotoGridModel *>(model());
    if (!grid)
        return;
    QItemSelection selection;
    QModelIndex first;
    for (const int64_t id : photoIds) {
        const int row = grid->rowOfPhoto(id);
        if (row < 0)
            continue;
        const QModelIndex index = model()->index(row, 0);
        selection.select(index, index);
        if (!first.isValid() || row < first.row())
            first = index;
    }
    if (selection.isEmpty() && photoIds.size() > 0)
        return; // none of them is shown (filtered out): keep the selection there is
    selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect);
    if (first.isValid()) {
        selectionModel()->setCurrentIndex(first, QItemSelectionModel::NoUpdate);
        scrollTo(first, QAbstractItemView::PositionAtCenter);
    }
}

void PhotoGridView::contextMenuEvent(QContextMenuEvent *event)
{
    const QModelIndex index = indexAt(event->pos());
    if (!index.isValid())
        return;
    const qint64 photoId = index.data(PhotoGridModel::PhotoIdRole).toLongLong();
    const QString path = index.data(PhotoGridModel::PathRole).toString();
    QMenu menu(this);
    menu.addAction(tr("Open"), this, [this, photoId] { Q_EMIT photoActivated(photoId); });
    menu.addAction(tr("Find Similar"), this, [this, photoId] { Q_EMIT findSimilarRequested(photoId); });
    menu.addSeparator();
    menu.addAction(tr("Show in File Manager"), this, [path] {
        QDesktopServices::openUrl(QUrl::fromLocalFile(QFileInfo(path).absolutePath()));
    });
    menu.addAction(tr("Copy Path"), this, [path] { QApplication::clipboard()->setText(path); });
    menu.exec(event->globalPos());
}

} // namespace lodestone::ui
