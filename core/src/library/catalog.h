#pragma once

// The library's catalog: a SQLite database (WAL) of folders, photos, models, embeddings and
// classifications. Private to the core; Library and the indexer are its clients. One Catalog per thread
// (it owns a connection); several may be open on the same file at once.

#include "lodestone/floatarray.h"
#include "lodestone/library.h"

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace lodestone::detail {

// A prepared statement (RAII). Columns and parameters are 0- and 1-based as in SQLite.
class Statement {
public:
    Statement(sqlite3 *db, const std::string &sql); // throws Error
    Statement(Statement &&) noexcept;
    Statement &operator=(Statement &&) noexcept;
    ~Statement();

    Statement &bind(int index, int64_t value);
    Statement &bind(int index, int value) { return bind(index, int64_t(value)); }
    Statement &bind(int index, double value);
    Statement &bind(int index, const std::string &value);
    Statement &bindBlob(int index, const void *data, size_t size);
    // True while there is a row to read; false when done. Throws Error.
    bool step();
    void run();   // steps to the end
    void reset(); // resets and clears the bindings

    int64_t int64(int column) const;
    double real(int column) const;
    std::string text(int column) const;
    const void *blob(int column, size_t &size) const;
    bool isNull(int column) const;

private:
    [[noreturn]] void fail(const std::string &what) const;
    sqlite3 *m_db = nullptr;
    sqlite3_stmt *m_stmt = nullptr;
};

// A file's catalog row as the indexer compares it with the disk.
struct PhotoState {
    int64_t id = 0;
    std::string path;
    int64_t folderId = 0;
    int64_t sizeBytes = 0;
    int64_t modifiedNs = 0;
    std::string contentHash;
    PhotoStatus status = PhotoStatus::Ok;
    bool embedded = false; // has an embedding of the model asked about
};

struct FolderRow {
    int64_t id = 0;
    std::string path;
};

struct ModelRow {
    int64_t rowId = 0;
    ModelRecord record;
    int64_t version = 0; // bumped by every change to the model's embeddings (ANN index files carry it)
};

class Catalog {
public:
    static constexpr int SchemaVersion = 1;

    // Opens (creating when absent) the catalog at `path`. Throws Error when the file is not a Lodestone
    // catalog, is of a newer schema, or cannot be opened.
    explicit Catalog(const std::string &path);
    Catalog(Catalog &&) noexcept;
    Catalog &operator=(Catalog &&) noexcept;
    ~Catalog();

    const std::string &path() const { return m_path; }
    sqlite3 *handle() const { return m_db; }

    void exec(const std::string &sql); // throws Error
    // A prepared statement kept for the connection's lifetime; reset (ending its implicit read
    // transaction) when the scope ends. Not reentrant: finish with one before asking for the same SQL again.
    class ScopedStatement {
    public:
        explicit ScopedStatement(Statement &statement)
            : m_statement(statement)
        {}
        ScopedStatement(const ScopedStatement &) = delete;
        ScopedStatement &operator=(const ScopedStatement &) = delete;
        ~ScopedStatement() { m_statement.reset(); }
        Statement *operator->() const { return &m_statement; }
        Statement &operator*() const { return m_statement; }

    private:
        Statement &m_statement;
    };
    ScopedStatement statement(const std::string &sql);

    // BEGIN IMMEDIATE (write) or BEGIN (a read snapshot); rolls back unless committed. Within another
    // transaction it joins that one (commit() does nothing).
    class Transaction {
    public:
        explicit Transaction(Catalog &catalog, bool write = true);
        Transaction(const Transaction &) = delete;
        Transaction &operator=(const Transaction &) = delete;
        ~Transaction();
        void commit();

    private:
        Catalog &m_catalog;
        bool m_open = false;
    };

    // Folders.
    void addFolder(const std::string &path);
    // Drops the folder and its photos, except those inside another of the library's folders (they move to
    // it). In one transaction.
    void removeFolder(const std::string &path);
    std::vector<FolderRow> folders();

    // Photos.
    std::vector<Photo> photos();
    std::optional<Photo> photo(int64_t id);
    std::optional<Photo> photoByPath(const std::string &path);
    std::vector<PhotoState> photoStates(int64_t modelRowId);   // every row, `embedded` for that model
    int64_t insertPhoto(const Photo &photo, int64_t folderId); // returns the new id (photo.id unused)
    void updatePhoto(const Photo &photo, int64_t folderId);    // the row photo.id
    void updateFileStat(int64_t id, int64_t sizeBytes, int64_t modifiedNs);
    void setPhotoFolder(int64_t id, int64_t folderId);
    void movePhoto(int64_t id, const std::string &path, int64_t folderId, int64_t sizeBytes,
                   int64_t modifiedNs);
    // Deletes rows with their embeddings and labels; bumps every model's version.
    void deletePhotos(const std::vector<int64_t> &ids);

    // Models.
    // Inserts or updates the record (keyed by its id) and marks it used now; returns the row id.
    int64_t upsertModel(const ModelRecord &record);
    std::vector<ModelRecord> models(); // most recently used first
    std::optional<ModelRow> model(const std::string &identity);
    int64_t modelVersion(int64_t modelRowId);
    void bumpModelVersion(int64_t modelRowId);

    // Embeddings: float32 rows in native (little-endian) byte order.
    void putEmbedding(int64_t modelRowId, int64_t photoId, const float *vector, int dim);
    // Drops a photo's embeddings of every model but `keepModelRowId` (its content changed), bumping their
    // versions.
    void dropOtherEmbeddings(int64_t photoId, int64_t keepModelRowId);
    FloatArray embeddings(int64_t modelRowId, int dim, std::vector<int64_t> *photoIds); // id order
    std::optional<std::vector<float>> embedding(int64_t modelRowId, int64_t photoId);
    std::vector<int64_t> embeddedIds(int64_t modelRowId); // ascending
    int64_t embeddedCount(int64_t modelRowId);

    // Classifications: the latest per model, replaced in one transaction.
    void storeClassification(int64_t modelRowId, const Classification &classification);
    std::optional<Classification> classification(int64_t modelRowId);

private:
    void open();
    void createOrCheckSchema();
    [[noreturn]] void fail(const std::string &what) const;

    std::string m_path;
    sqlite3 *m_db = nullptr;
    std::map<std::string, std::unique_ptr<Statement>> m_statements;
};

std::string photoStatusName(PhotoStatus status); // "ok", "failed", "unsupported"
PhotoStatus photoStatusFromName(const std::string &name);

} // namespace lodestone::detail
