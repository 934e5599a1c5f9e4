#pragma once

#include <QListView>

#include <vector>

namespace lodestone::ui {

class PhotoDelegate;

// The photo grid: a virtualised QListView in icon mode (uniform cells, so 100 000 photos cost nothing until
// they are painted), with zoom, multi-selection and a context menu.
class PhotoGridView : public QListView {
    Q_OBJECT
public:
    explicit PhotoGridView(QWidget *parent = nullptr);

    void setCellSize(int pixels); // thumbnail edge, 64..512
    int cellSize() const;
    std::vector<int64_t> selectedPhotoIds() const;
    void selectPhoto(qint64 photoId);                        // selects and scrolls to it when it is shown
    void selectPhotos(const std::vector<int64_t> &photoIds); // the shown ones; scrolls to the first

Q_SIGNALS:
    void photoActivated(qint64 photoId); // double-click or Enter
    void findSimilarRequested(qint64 photoId);

protected:
    void contextMenuEvent(QContextMenuEvent *event) override;

private:
    PhotoDelegate *m_delegate;
};

} // namespace lodestone::ui
