#pragma once

#include <QStyledItemDelegate>

namespace lodestone::ui {

// Paints one photo of the grid: the thumbnail fitted to a square cell (a quiet placeholder until it arrives),
// the file name, and as badges the search score and the zero-shot label with its confidence.
class PhotoDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    explicit PhotoDelegate(QObject *parent = nullptr);

    void setCellSize(int pixels); // edge of the thumbnail square
    int cellSize() const { return m_cellSize; }

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

private:
    int m_cellSize = 160;
};

} // namespace lodestone::ui
