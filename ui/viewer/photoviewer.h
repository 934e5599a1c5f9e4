#pragma once

#include "lodestone/library.h"

#include <QDialog>
#include <QFuture>
#include <QImage>
#include <QString>
#include <QThreadPool>
#include <QTimer>

#include <vector>

class QLabel;
class QListWidget;
class QListWidgetItem;
class QPushButton;

namespace lodestone::ui {

class LibraryController;
class ThumbnailLoader;

// A non-modal window for one photo: the picture (EXIF orientation applied, decoded off the UI thread and
// fitted to the window), its metadata, its labels and its nearest neighbours (clicking one shows it).
// A photo that cannot be read shows the reason in place of the picture. UI thread only.
class PhotoViewer : public QDialog {
    Q_OBJECT
public:
    // `controller` must outlive the viewer; `thumbnails` (may be null: no neighbour icons) too.
    PhotoViewer(LibraryController *controller, ThumbnailLoader *thumbnails, QWidget *parent = nullptr);
    ~PhotoViewer() override; // waits for a running decode

    // Shows the photo with this catalog id (the caller shows the window). Results of earlier requests that
    // arrive later are dropped.
    void showPhoto(qint64 photoId);
    qint64 photoId() const;

    static constexpr int DecodeEdge = 2048;   // longest side the picture is decoded at, in pixels
    static constexpr int NeighbourCount = 12; // nearest photos listed
    static constexpr int TopLabels = 3;       // labels listed with their probabilities

Q_SIGNALS:
    void findSimilarRequested(qint64 photoId);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    struct Decoded {
        QImage image;
        QString error; // why `image` is null
    };

    void startDecode(const QString &path);
    void onDecoded(const Decoded &decoded);
    void showImageMessage(const QString &text);
    void updateScaledPixmap();
    void showMetadata(const std::optional<Photo> &photo);
    void showLabels();
    void requestNeighbours();
    void showNeighbours(const std::vector<SearchHit> &hits);
    void onNeighbourChosen(QListWidgetItem *item);
    void onThumbnailReady(qint64 photoId);

    LibraryController *m_controller = nullptr;
    ThumbnailLoader *m_thumbnails = nullptr;
    qint64 m_photoId = 0;

    QLabel *m_image = nullptr; // the picture, or why there is none
    QImage m_picture;          // decoded at DecodeEdge; scaled into m_image
    QTimer m_rescale;          // coalesces resizes into one smooth scaling

    QLabel *m_fileName = nullptr;
    QLabel *m_folder = nullptr;
    QLabel *m_size = nullptr;
    QLabel *m_dimensions = nullptr;
    QLabel *m_taken = nullptr;
    QLabel *m_modified = nullptr;
    QLabel *m_contentHash = nullptr;
    QLabel *m_labels = nullptr;
    QPushButton *m_findSimilar = nullptr;
    QLabel *m_neighbourStatus = nullptr;
    QListWidget *m_neighbours = nullptr;

    quint64 m_decodeSerial = 0;    // the latest decode request; older results are stale
    quint64 m_neighbourSerial = 0; // the same for neighbour requests
    QFuture<Decoded> m_decoding;
    QThreadPool m_pool; // decodes; declared last so that it waits before the widgets go
};

} // namespace lodestone::ui
