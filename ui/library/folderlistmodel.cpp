#include "library/folderlistmodel.h"

#include <QApplication>
#include <QFileInfo>
#include <QStyle>

namespace lodestone::ui {

FolderListModel::FolderListModel(QObject *parent)
    : QAbstractListModel(parent)
{}

int FolderListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_folders.size());
}

QVariant FolderListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const FolderState &folder = m_folders[index.row()];
    const QString path = QString::fromStdString(folder.path);
    switch (role) {
    case Qt::DisplayRole: {
        QString name = QFileInfo(path).fileName();
        if (name.isEmpty())
            name = path;
        if (!folder.reachable)
            return tr("%1 (cannot be read)").arg(name);
        QString line = tr("%1 (%n photo(s))", nullptr, int(folder.photos)).arg(name);
        if (folder.failed > 0)
            line += QStringLiteral(" · ") + tr("%n failed", nullptr, int(folder.failed));
        if (m_indexing)
            line += QStringLiteral(" · ") + tr("indexing…");
        return line;
    }
    case Qt::ToolTipRole:
        return folder.reachable ? path
                                : tr("%1\nThe folder is missing or cannot be read; its photos stay in the "
                                     "library until it is back or removed.")
                                      .arg(path);
    case Qt::DecorationRole: {
        const QStyle *style = QApplication::style();
        if (!folder.reachable)
            return style->standardIcon(QStyle::SP_MessageBoxWarning);
        return style->standardIcon(QFileInfo(path).isDir() ? QStyle::SP_DirIcon : QStyle::SP_FileIcon);
    }
    case PathRole:
        return path;
    case PhotoCountRole:
        return qint64(folder.photos);
    case FailedCountRole:
        return qint64(folder.failed);
    case ReachableRole:
        return folder.reachable;
    default:
        return {};
    }
}

void FolderListModel::setFolders(const std::vector<FolderState> &folders)
{
    bool samePaths = folders.size() == m_folders.size();
    for (size_t i = 0; samePaths && i < folders.size(); ++i)
        samePaths = folders[i].path == m_folders[i].path;
    if (!samePaths) {
        beginResetModel();
        m_folders = folders;
        endResetModel();
        return;
    }
    m_folders = folders; // the same rows, new counts: keep the selection
    if (!m_folders.empty())
        Q_EMIT dataChanged(index(0), index(int(m_folders.size()) - 1));
}

void FolderListModel::setIndexing(bool indexing)
{
    if (indexing == m_indexing)
        return;
    m_indexing = indexing;
    if (!m_folders.empty())
        Q_EMIT dataChanged(index(0), index(int(m_folders.size()) - 1), {Qt::DisplayRole});
}

} // namespace lodestone::ui
