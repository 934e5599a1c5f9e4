#pragma once

#include "library/librarycontroller.h"

#include <QAbstractListModel>
#include <QHash>
#include <QString>

#include <memory>
#include <optional>
#include <vector>

namespace lodestone::ui {

class ThumbnailLoader;

// The photos of the grid: every readable photo of the library, with its search score and zero-shot label
// when there are some, sorted and filtered. Cheap to ask: data() never touches the disk or the catalog, and
// a missing thumbnail is requested from the ThumbnailLoader and announced by dataChanged() when it arrives.
class PhotoGridModel : public QAbstractListModel {
    Q_OBJECT
public:
    enum Role {
        PhotoIdRole = Qt::UserRole + 1, // qint64
        PathRole,                       // QString, absolute
        ScoreRole,                      // float cosine similarity with the search; invalid when none
        LabelRole,                      // QString; empty when unlabelled or "none of these"
        LabelIndexRole,      // int: index into labels(), -1 "none of these", invalid when unlabelled
        ConfidenceRole,      // float probability of the label; invalid when unlabelled
        DateRole,            // QDateTime: EXIF date taken, else the file's modification time
        ThumbnailFailedRole, // bool: the file could not be read for a thumbnail
    };
    enum class SortOrder { Relevance, Date, Name };
    Q_ENUM(SortOrder)

    static constexpr int NoneOfTheseFilter = -1;

    explicit PhotoGridModel(ThumbnailLoader *thumbnails, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    // Shows a catalog snapshot (its photos and their display forms, made off the UI thread). The model keeps
    // the snapshot and copies nothing per photo. New photos are appended, then put in their place by the
    // sort order; gone ones are removed; the rest keep their rows, scores, labels and selection. A snapshot
    // with nothing new costs a walk over the ids.
    void setSnapshot(std::shared_ptr<const CatalogSnapshot> snapshot);
    // The same for a plain list of photos (tests, tools).
    void setPhotos(std::vector<Photo> photos);
    // Scores from a search, and the order switches to relevance. Photos without a score go last.
    void setScores(const SearchResults &results);
    void clearScores();
    bool hasScores() const { return m_hasScores; }
    // Labels of a classification (null: none).
    void setClassification(std::shared_ptr<const Classification> classification);
    const std::vector<std::string> &labels() const;

    void setSortOrder(SortOrder order);
    SortOrder sortOrder() const { return m_sortOrder; }
    // Shows only photos of one label (an index into labels(), or NoneOfTheseFilter); nullopt shows all.
    void setLabelFilter(std::optional<int> labelIndex);
    std::optional<int> labelFilter() const { return m_labelFilter; }

    qint64 photoIdAt(int row) const;
    int rowOfPhoto(qint64 photoId) const;                   // -1 when not shown
    int totalPhotos() const { return int(m_items.size()); } // before filtering

Q_SIGNALS:
    void labelsChanged();

private:
    // Per photo state; m_items[i] belongs to m_snapshot->photos[i] (both in photo id order).
    struct Item {
        float score = 0;
        bool hasScore = false;
        int labelIndex = -2; // -2 unlabelled, -1 none of these
        float confidence = 0;
    };
    const Photo &photoOf(int item) const { return m_snapshot->photos[item]; }
    const PhotoDisplay &displayOf(int item) const { return m_snapshot->display[item]; }
    int itemOfPhoto(qint64 photoId) const; // -1 when absent; a binary search over the snapshot's ids
    bool passesFilter(int item) const;
    void applyLabels();
    bool lessThan(int a, int b) const; // items a and b in the sort order
    void sortRows();                   // m_rows in the sort order
    void layOutRows();                 // m_rows: the items that pass the filter, sorted; then indexRows()
    void indexRows();                  // m_rowOfItem from m_rows
    void rebuildRows(bool keepPersistentIndexes);
    void onThumbnailReady(qint64 photoId);

    ThumbnailLoader *m_thumbnails;
    std::shared_ptr<const CatalogSnapshot> m_snapshot; // never null
    std::vector<Item> m_items;                         // parallel to m_snapshot->photos
    std::vector<int> m_rows;                           // shown rows -> item
    std::vector<int> m_rowOfItem;                      // item -> shown row, -1 when filtered out
    std::shared_ptr<const Classification> m_classification;
    SortOrder m_sortOrder = SortOrder::Date;
    std::optional<int> m_labelFilter;
    bool m_hasScores = false;
};

} // namespace lodestone::ui
