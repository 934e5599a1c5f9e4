#pragma once

#include "library/catalogsnapshot.h"

#include <QAbstractListModel>

#include <vector>

namespace lodestone::ui {

// The library panel's list: each folder (or single photo) with its photo count and its state.
class FolderListModel : public QAbstractListModel {
    Q_OBJECT
public:
    enum Role {
        PathRole = Qt::UserRole + 1, // QString
        PhotoCountRole,              // qint64
        FailedCountRole,             // qint64
        ReachableRole,               // bool
    };

    explicit FolderListModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;

    void setFolders(const std::vector<FolderState> &folders);
    void setIndexing(bool indexing); // shows "indexing…" on every folder while a run goes

private:
    std::vector<FolderState> m_folders;
    bool m_indexing = false;
};

} // namespace lodestone::ui
