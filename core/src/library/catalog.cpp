#include "library/catalog.h"

#include "lodestone/error.h"

#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include <chrono>
#include <cstring>

namespace lodestone::detail {

namespace {

constexpr const char *ApplicationName = "lodestone";

int64_t nowNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// Version 1. Later versions migrate from here; a newer file is refused.
constexpr const char *SchemaSql = R"sql(
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE folders(id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE);
CREATE TABLE photos(
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,
    folder_id INTEGER NOT NULL REFERENCES folders(id) ON DELETE CASCADE,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    hash TEXT NOT NULL DEFAULT '',
    width INTEGER NOT NULL DEFAULT 0,
    height INTEGER NOT NULL DEFAULT 0,
    taken_at TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL CHECK (status IN ('ok', 'failed', 'unsupported')),
    error TEXT NOT NULL DEFAULT '');
CREATE INDEX photos_hash ON photos(hash);
CREATE INDEX photos_folder ON photos(folder_id);
CREATE TABLE models(
    id INTEGER PRIMARY KEY,
    identity TEXT NOT NULL UNIQUE,
    path TEXT NOT NULL,
    vocab TEXT NOT NULL DEFAULT '',
    name TEXT NOT NULL DEFAULT '',
    dim INTEGER NOT NULL,
    last_used_ns INTEGER NOT NULL,
    version INTEGER NOT NULL DEFAULT 0);
CREATE TABLE embeddings(
    model_id INTEGER NOT NULL REFERENCES models(id) ON DELETE CASCADE,
    photo_id INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
    vector BLOB NOT NULL,
    PRIMARY KEY (model_id, photo_id));
CREATE INDEX embeddings_photo ON embeddings(photo_id);
CREATE TABLE classifications(
    model_id INTEGER PRIMARY KEY REFERENCES models(id) ON DELETE CASCADE,
    labels TEXT NOT NULL,
    templates TEXT NOT NULL,
    threshold REAL NOT NULL,
    created_ns INTEGER NOT NULL);
CREATE TABLE photo_labels(
    model_id INTEGER NOT NULL REFERENCES classifications(model_id) ON DELETE CASCADE,
    photo_id INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
    label_index INTEGER NOT NULL,
    probability REAL NOT NULL,
    probabilities BLOB NOT NULL,
    PRIMARY KEY (model_id, photo_id));
CREATE INDEX photo_labels_photo ON photo_labels(photo_id);
)sql";

constexpr const char *PhotoColumns =
    "id, path, size, mtime_ns, hash, width, height, taken_at, status, error FROM photos";

Photo readPhoto(const Statement &s)
{
    Photo p;
    p.id = s.int64(0);
    p.path = s.text(1);
    p.sizeBytes = s.int64(2);
    p.modifiedNs = s.int64(3);
    p.contentHash = s.text(4);
    p.width = int(s.int64(5));
    p.height = int(s.int64(6));
    p.takenAt = s.text(7);
    p.status = photoStatusFromName(s.text(8));
    p.error = s.text(9);
    return p;
}

std::vector<float> readVector(const Statement &s, int column, const std::string &what)
{
    size_t size = 0;
    const void *data = s.blob(column, size);
    if (size % sizeof(float) != 0)
        throw Error(what + ": embedding of " + std::to_string(size) + " bytes is not float32");
    std::vector<float> v(size / sizeof(float));
    if (size > 0)
        std::memcpy(v.data(), data, size);
    return v;
}

bool insideFolder(const std::string &path, const std::string &folder)
{
    const std::string prefix = folder.ends_with('/') ? folder : folder + '/';
    return path.size() > prefix.size() && path.compare(0, prefix.size(), prefix) == 0;
}

} // namespace

std::string photoStatusName(PhotoStatus status)
{
    switch (status) {
    case PhotoStatus::Ok:
        return "ok";
    case PhotoStatus::Failed:
        return "failed";
    case PhotoStatus::Unsupported:
        return "unsupported";
    }
    return "failed";
}

PhotoStatus photoStatusFromName(const std::string &name)
{
    if (name == "ok")
        return PhotoStatus::Ok;
    if (name == "unsupported")
        return PhotoStatus::Unsupported;
    return PhotoStatus::Failed;
}

// ---- Statement

Statement::Statement(sqlite3 *db, const std::string &sql)
    : m_db(db)
{
    if (sqlite3_prepare_v2(db, sql.c_str(), int(sql.size()), &m_stmt, nullptr) != SQLITE_OK) {
        const std::string why = sqlite3_errmsg(db);
        sqlite3_finalize(m_stmt);
        m_stmt = nullptr;
        throw Error(why + " (preparing: " + sql.substr(0, 80) + ")");
    }
}

Statement::Statement(Statement &&other) noexcept
    : m_db(other.m_db)
    , m_stmt(std::exchange(other.m_stmt, nullptr))
{}

Statement &Statement::operator=(Statement &&other) noexcept
{
    if (this != &other) {
        sqlite3_finalize(m_stmt);
        m_db = other.m_db;
        m_stmt = std::exchange(other.m_stmt, nullptr);
    }
    return *this;
}

Statement::~Statement()
{
    sqlite3_finalize(m_stmt);
}

void Statement::fail(const std::string &what) const
{
    const char *sql = sqlite3_sql(m_stmt);
    throw Error(what + ": " + sqlite3_errmsg(m_db) + " (in: " + std::string(sql ? sql : "").substr(0, 80) +
                ")");
}

Statement &Statement::bind(int index, int64_t value)
{
    if (sqlite3_bind_int64(m_stmt, index, value) != SQLITE_OK)
        fail("binding parameter " + std::to_string(index));
    return *this;
}

Statement &Statement::bind(int index, double value)
{
    if (sqlite3_bind_double(m_stmt, index, value) != SQLITE_OK)
        fail("binding parameter " + std::to_string(index));
    return *this;
}

Statement &Statement::bind(int index, const std::string &value)
{
    if (sqlite3_bind_text64(m_stmt, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8) !=
        SQLITE_OK)
        fail("binding parameter " + std::to_string(index));
    return *this;
}

Statement &Statement::bindBlob(int index, const void *data, size_t size)
{
    // A zero-length blob must not be bound as NULL (a null pointer means NULL to SQLite).
    static const char empty = 0;
    if (sqlite3_bind_blob64(m_stmt, index, size ? data : &empty, size, SQLITE_TRANSIENT) != SQLITE_OK)
        fail("binding parameter " + std::to_string(index));
    return *this;
}

bool Statement::step()
{
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    fail("executing");
}

void Statement::run()
{
    while (step()) {
    }
}

void Statement::reset()
{
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
}

int64_t Statement::int64(int column) const
{
    return sqlite3_column_int64(m_stmt, column);
}

double Statement::real(int column) const
{
    return sqlite3_column_double(m_stmt, column);
}

std::string Statement::text(int column) const
{
    const auto *p = reinterpret_cast<const char *>(sqlite3_column_text(m_stmt, column));
    return p ? std::string(p, size_t(sqlite3_column_bytes(m_stmt, column))) : std::string();
}

const void *Statement::blob(int column, size_t &size) const
{
    const void *p = sqlite3_column_blob(m_stmt, column);
    size = size_t(sqlite3_column_bytes(m_stmt, column));
    return p;
}

bool Statement::isNull(int column) const
{
    return sqlite3_column_type(m_stmt, column) == SQLITE_NULL;
}

// ---- Catalog

Catalog::Catalog(const std::string &path)
    : m_path(path)
{
    try {
        open();
        createOrCheckSchema();
    } catch (...) {
        m_statements.clear();
        sqlite3_close_v2(m_db);
        m_db = nullptr;
        rethrowWithContext("opening catalog '" + path + "'");
    }
}

Catalog::Catalog(Catalog &&other) noexcept
    : m_path(std::move(other.m_path))
    , m_db(std::exchange(other.m_db, nullptr))
    , m_statements(std::move(other.m_statements))
{}

Catalog &Catalog::operator=(Catalog &&other) noexcept
{
    if (this != &other) {
        m_statements.clear();
        sqlite3_close_v2(m_db);
        m_path = std::move(other.m_path);
        m_db = std::exchange(other.m_db, nullptr);
        m_statements = std::move(other.m_statements);
    }
    return *this;
}

Catalog::~Catalog()
{
    m_statements.clear(); // finalised before the connection closes
    sqlite3_close_v2(m_db);
}

void Catalog::fail(const std::string &what) const
{
    throw Error("catalog '" + m_path + "': " + what + ": " + (m_db ? sqlite3_errmsg(m_db) : "no connection"));
}

void Catalog::open()
{
    const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(m_path.c_str(), &m_db, flags, nullptr) != SQLITE_OK)
        throw Error(m_db ? sqlite3_errmsg(m_db) : "out of memory");
    sqlite3_extended_result_codes(m_db, 1);
    // Another connection (a UI reading while a worker indexes) may hold the lock for one batch.
    sqlite3_busy_timeout(m_db, 30000);
    // The first statement that reads the file: a file that is not SQLite fails here.
    exec("PRAGMA foreign_keys = ON");
    Statement wal(m_db, "PRAGMA journal_mode = WAL");
    wal.step();
    // WAL with synchronous=NORMAL: a killed process loses nothing committed; a power cut at most the
    // latest transactions, never consistency.
    exec("PRAGMA synchronous = NORMAL");
}

void Catalog::createOrCheckSchema()
{
    auto check = [this]() -> bool { // true when the schema is there
        Statement tables(m_db, "SELECT count(*) FROM sqlite_master");
        tables.step();
        if (tables.int64(0) == 0)
            return false;
        Statement hasMeta(m_db, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'meta'");
        hasMeta.step();
        if (hasMeta.int64(0) == 0)
            throw Error("not a Lodestone catalog (a SQLite database without Lodestone's tables)");
        Statement meta(m_db, "SELECT key, value FROM meta WHERE key IN ('application', 'schema_version')");
        std::string application;
        std::string version;
        while (meta.step())
            (meta.text(0) == "application" ? application : version) = meta.text(1);
        if (application != ApplicationName)
            throw Error("not a Lodestone catalog (application '" + application + "')");
        int number = 0;
        try {
            number = std::stoi(version);
        } catch (...) {
            throw Error("catalog schema version '" + version + "' is not a number");
        }
        if (number > SchemaVersion)
            throw Error("catalog schema version " + version + " is newer than this Lodestone reads (" +
                        std::to_string(SchemaVersion) + "); open it with a newer Lodestone");
        if (number < 1)
            throw Error("catalog schema version " + version + " is not valid");
        return true;
    };
    if (check())
        return;
    // Created under the write lock, checking again: two processes may open a new library at once.
    Transaction transaction(*this);
    if (check())
        return;
    exec(SchemaSql);
    Statement meta(m_db, "INSERT INTO meta(key, value) VALUES ('application', ?), ('schema_version', ?)");
    meta.bind(1, std::string(ApplicationName)).bind(2, std::to_string(SchemaVersion)).run();
    transaction.commit();
}

void Catalog::exec(const std::string &sql)
{
    char *message = nullptr;
    if (sqlite3_exec(m_db, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
        const std::string why = message ? message : sqlite3_errmsg(m_db);
        sqlite3_free(message);
        throw Error(why + " (in: " + sql.substr(0, 80) + ")");
    }
}

Catalog::ScopedStatement Catalog::statement(const std::string &sql)
{
    auto &slot = m_statements[sql];
    if (!slot)
        slot = std::make_unique<Statement>(m_db, sql);
    return ScopedStatement(*slot);
}

Catalog::Transaction::Transaction(Catalog &catalog, bool write)
    : m_catalog(catalog)
{
    // Inside another transaction this one is part of it (and the outer one commits).
    m_open = sqlite3_get_autocommit(catalog.m_db) != 0;
    if (m_open)
        catalog.exec(write ? "BEGIN IMMEDIATE" : "BEGIN");
}

Catalog::Transaction::~Transaction()
{
    if (m_open)
        sqlite3_exec(m_catalog.m_db, "ROLLBACK", nullptr, nullptr, nullptr);
}

void Catalog::Transaction::commit()
{
    if (!m_open)
        return;
    m_catalog.exec("COMMIT");
    m_open = false;
}

// ---- Folders

void Catalog::addFolder(const std::string &path)
{
    statement("INSERT OR IGNORE INTO folders(path) VALUES (?)")->bind(1, path).run();
}

void Catalog::removeFolder(const std::string &path)
{
    Transaction transaction(*this);
    const std::vector<FolderRow> all = folders();
    int64_t id = 0;
    for (const FolderRow &f : all)
        if (f.path == path)
            id = f.id;
    if (id == 0)
        return;
    // Photos also inside another folder stay, under it; the rest leave with the folder (cascade).
    std::vector<std::pair<int64_t, int64_t>> moves;
    Statement list(m_db, "SELECT id, path FROM photos WHERE folder_id = ?");
    list.bind(1, id);
    int64_t leaving = 0;
    while (list.step()) {
        const std::string photoPath = list.text(1);
        int64_t other = 0;
        for (const FolderRow &f : all)
            if (f.id != id && insideFolder(photoPath, f.path))
                other = f.id;
        if (other)
            moves.emplace_back(list.int64(0), other);
        else
            ++leaving;
    }
    for (const auto &[photo, folder] : moves)
        setPhotoFolder(photo, folder);
    statement("DELETE FROM folders WHERE id = ?")->bind(1, id).run();
    if (leaving > 0)
        exec("UPDATE models SET version = version + 1");
    transaction.commit();
}

std::vector<FolderRow> Catalog::folders()
{
    std::vector<FolderRow> out;
    auto s = statement("SELECT id, path FROM folders ORDER BY path");
    while (s->step())
        out.push_back({s->int64(0), s->text(1)});
    return out;
}

// ---- Photos

std::vector<Photo> Catalog::photos()
{
    std::vector<Photo> out;
    auto s = statement(std::string("SELECT ") + PhotoColumns + " ORDER BY id");
    while (s->step())
        out.push_back(readPhoto(*s));
    return out;
}

std::optional<Photo> Catalog::photo(int64_t id)
{
    auto s = statement(std::string("SELECT ") + PhotoColumns + " WHERE id = ?");
    s->bind(1, id);
    if (!s->step())
        return std::nullopt;
    return readPhoto(*s);
}

std::optional<Photo> Catalog::photoByPath(const std::string &path)
{
    auto s = statement(std::string("SELECT ") + PhotoColumns + " WHERE path = ?");
    s->bind(1, path);
    if (!s->step())
        return std::nullopt;
    return readPhoto(*s);
}

std::vector<PhotoState> Catalog::photoStates(int64_t modelRowId)
{
    std::vector<PhotoState> out;
    auto s = statement("SELECT p.id, p.path, p.folder_id, p.size, p.mtime_ns, p.hash, p.status, "
                       "EXISTS (SELECT 1 FROM embeddings e WHERE e.model_id = ? AND e.photo_id = p.id) "
                       "FROM photos p ORDER BY p.id");
    s->bind(1, modelRowId);
    while (s->step()) {
        PhotoState p;
        p.id = s->int64(0);
        p.path = s->text(1);
        p.folderId = s->int64(2);
        p.sizeBytes = s->int64(3);
        p.modifiedNs = s->int64(4);
        p.contentHash = s->text(5);
        p.status = photoStatusFromName(s->text(6));
        p.embedded = s->int64(7) != 0;
        out.push_back(std::move(p));
    }
    return out;
}

int64_t Catalog::insertPhoto(const Photo &p, int64_t folderId)
{
    statement(
        "INSERT INTO photos(path, folder_id, size, mtime_ns, hash, width, height, taken_at, status, error) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        ->bind(1, p.path)
        .bind(2, folderId)
        .bind(3, p.sizeBytes)
        .bind(4, p.modifiedNs)
        .bind(5, p.contentHash)
        .bind(6, p.width)
        .bind(7, p.height)
        .bind(8, p.takenAt)
        .bind(9, photoStatusName(p.status))
        .bind(10, p.error)
        .run();
    return sqlite3_last_insert_rowid(m_db);
}

void Catalog::updatePhoto(const Photo &p, int64_t folderId)
{
    statement("UPDATE photos SET path = ?, folder_id = ?, size = ?, mtime_ns = ?, hash = ?, width = ?, "
              "height = ?, taken_at = ?, status = ?, error = ? WHERE id = ?")
        ->bind(1, p.path)
        .bind(2, folderId)
        .bind(3, p.sizeBytes)
        .bind(4, p.modifiedNs)
        .bind(5, p.contentHash)
        .bind(6, p.width)
        .bind(7, p.height)
        .bind(8, p.takenAt)
        .bind(9, photoStatusName(p.status))
        .bind(10, p.error)
        .bind(11, p.id)
        .run();
}

void Catalog::updateFileStat(int64_t id, int64_t sizeBytes, int64_t modifiedNs)
{
    statement("UPDATE photos SET size = ?, mtime_ns = ? WHERE id = ?")
        ->bind(1, sizeBytes)
        .bind(2, modifiedNs)
        .bind(3, id)
        .run();
}

void Catalog::setPhotoFolder(int64_t id, int64_t folderId)
{
    statement("UPDATE photos SET folder_id = ? WHERE id = ?")->bind(1, folderId).bind(2, id).run();
}

void Catalog::movePhoto(int64_t id, const std::string &path, int64_t folderId, int64_t sizeBytes,
                        int64_t modifiedNs)
{
    statement("UPDATE photos SET path = ?, folder_id = ?, size = ?, mtime_ns = ? WHERE id = ?")
        ->bind(1, path)
        .bind(2, folderId)
        .bind(3, sizeBytes)
        .bind(4, modifiedNs)
        .bind(5, id)
        .run();
}

void Catalog::deletePhotos(const std::vector<int64_t> &ids)
{
    if (ids.empty())
        return;
    for (int64_t id : ids)
        statement("DELETE FROM photos WHERE id = ?")->bind(1, id).run();
    exec("UPDATE models SET version = version + 1");
}

// ---- Models

int64_t Catalog::upsertModel(const ModelRecord &r)
{
    statement("INSERT INTO models(identity, path, vocab, name, dim, last_used_ns) VALUES (?, ?, ?, ?, ?, ?) "
              "ON CONFLICT(identity) DO UPDATE SET path = excluded.path, vocab = excluded.vocab, "
              "name = excluded.name, dim = excluded.dim, last_used_ns = excluded.last_used_ns")
        ->bind(1, r.id)
        .bind(2, r.path)
        .bind(3, r.vocabPath)
        .bind(4, r.name)
        .bind(5, r.dim)
        .bind(6, nowNs())
        .run();
    auto s = statement("SELECT id FROM models WHERE identity = ?");
    s->bind(1, r.id);
    if (!s->step())
        fail("model '" + r.id + "' vanished after insertion");
    return s->int64(0);
}

std::vector<ModelRecord> Catalog::models()
{
    std::vector<ModelRecord> out;
    auto s = statement("SELECT identity, path, vocab, name, dim, last_used_ns, "
                       "(SELECT count(*) FROM embeddings e WHERE e.model_id = m.id) "
                       "FROM models m ORDER BY last_used_ns DESC, id DESC");
    while (s->step()) {
        ModelRecord r;
        r.id = s->text(0);
        r.path = s->text(1);
        r.vocabPath = s->text(2);
        r.name = s->text(3);
        r.dim = int(s->int64(4));
        r.lastUsedNs = s->int64(5);
        r.embedded = s->int64(6);
        out.push_back(std::move(r));
    }
    return out;
}

std::optional<ModelRow> Catalog::model(const std::string &identity)
{
    auto s = statement("SELECT id, identity, path, vocab, name, dim, last_used_ns, version, "
                       "(SELECT count(*) FROM embeddings e WHERE e.model_id = m.id) "
                       "FROM models m WHERE identity = ?");
    s->bind(1, identity);
    if (!s->step())
        return std::nullopt;
    ModelRow row;
    row.rowId = s->int64(0);
    row.record.id = s->text(1);
    row.record.path = s->text(2);
    row.record.vocabPath = s->text(3);
    row.record.name = s->text(4);
    row.record.dim = int(s->int64(5));
    row.record.lastUsedNs = s->int64(6);
    row.version = s->int64(7);
    row.record.embedded = s->int64(8);
    return row;
}

int64_t Catalog::modelVersion(int64_t modelRowId)
{
    auto s = statement("SELECT version FROM models WHERE id = ?");
    s->bind(1, modelRowId);
    if (!s->step())
        fail("no model with row id " + std::to_string(modelRowId));
    return s->int64(0);
}

void Catalog::bumpModelVersion(int64_t modelRowId)
{
    statement("UPDATE models SET version = version + 1 WHERE id = ?")->bind(1, modelRowId).run();
}

// ---- Embeddings

void Catalog::putEmbedding(int64_t modelRowId, int64_t photoId, const float *vector, int dim)
{
    statement("INSERT INTO embeddings(model_id, photo_id, vector) VALUES (?, ?, ?) "
              "ON CONFLICT(model_id, photo_id) DO UPDATE SET vector = excluded.vector")
        ->bind(1, modelRowId)
        .bind(2, photoId)
        .bindBlob(3, vector, size_t(dim) * sizeof(float))
        .run();
}

void Catalog::dropOtherEmbeddings(int64_t photoId, int64_t keepModelRowId)
{
    statement("UPDATE models SET version = version + 1 WHERE id IN "
              "(SELECT model_id FROM embeddings WHERE photo_id = ? AND model_id <> ?)")
        ->bind(1, photoId)
        .bind(2, keepModelRowId)
        .run();
    statement("DELETE FROM embeddings WHERE photo_id = ? AND model_id <> ?")
        ->bind(1, photoId)
        .bind(2, keepModelRowId)
        .run();
}

FloatArray Catalog::embeddings(int64_t modelRowId, int dim, std::vector<int64_t> *photoIds)
{
    Transaction snapshot(*this, /*write=*/false); // the count and the rows from one snapshot
    const int64_t count = embeddedCount(modelRowId);
    FloatArray out({count, int64_t(dim)});
    std::vector<int64_t> ids;
    ids.reserve(size_t(count));
    auto s = statement("SELECT photo_id, vector FROM embeddings WHERE model_id = ? ORDER BY photo_id");
    s->bind(1, modelRowId);
    int64_t row = 0;
    while (s->step()) {
        size_t size = 0;
        const void *data = s->blob(1, size);
        if (row >= count)
            fail("embeddings changed while being read (use a transaction)");
        if (size != size_t(dim) * sizeof(float))
            fail("embedding of photo " + std::to_string(s->int64(0)) + " has " + std::to_string(size) +
                 " bytes, expected " + std::to_string(dim) + " float32 values");
        std::memcpy(out.row(row), data, size);
        ids.push_back(s->int64(0));
        ++row;
    }
    if (row != count)
        fail("embeddings changed while being read (use a transaction)");
    snapshot.commit();
    if (photoIds)
        *photoIds = std::move(ids);
    return out;
}

std::optional<std::vector<float>> Catalog::embedding(int64_t modelRowId, int64_t photoId)
{
    auto s = statement("SELECT vector FROM embeddings WHERE model_id = ? AND photo_id = ?");
    s->bind(1, modelRowId).bind(2, photoId);
    if (!s->step())
        return std::nullopt;
    return readVector(*s, 0, "catalog '" + m_path + "'");
}

std::vector<int64_t> Catalog::embeddedIds(int64_t modelRowId)
{
    std::vector<int64_t> out;
    auto s = statement("SELECT photo_id FROM embeddings WHERE model_id = ? ORDER BY photo_id");
    s->bind(1, modelRowId);
    while (s->step())
        out.push_back(s->int64(0));
    return out;
}

int64_t Catalog::embeddedCount(int64_t modelRowId)
{
    auto s = statement("SELECT count(*) FROM embeddings WHERE model_id = ?");
    s->bind(1, modelRowId);
    s->step();
    return s->int64(0);
}

// ---- Classifications

void Catalog::storeClassification(int64_t modelRowId, const Classification &c)
{
    const size_t labels = c.labels.size();
    for (const PhotoLabel &p : c.photos) {
        if (p.labelIndex < -1 || p.labelIndex >= int(labels))
            throw Error("classification: photo " + std::to_string(p.photoId) + " has label index " +
                        std::to_string(p.labelIndex) + " outside -1.." + std::to_string(int(labels) - 1));
        if (p.probabilities.size() != labels)
            throw Error("classification: photo " + std::to_string(p.photoId) + " has " +
                        std::to_string(p.probabilities.size()) + " probabilities for " +
                        std::to_string(labels) + " labels");
    }
    Transaction transaction(*this);
    statement("DELETE FROM classifications WHERE model_id = ?")->bind(1, modelRowId).run();
    statement("INSERT INTO classifications(model_id, labels, templates, threshold, created_ns) "
              "VALUES (?, ?, ?, ?, ?)")
        ->bind(1, modelRowId)
        .bind(2, nlohmann::json(c.labels).dump())
        .bind(3, nlohmann::json(c.templates).dump())
        .bind(4, double(c.threshold))
        .bind(5, nowNs())
        .run();
    // Photos deleted since they were classified are skipped (their rows are gone).
    for (const PhotoLabel &p : c.photos) {
        statement("INSERT INTO photo_labels(model_id, photo_id, label_index, probability, probabilities) "
                  "SELECT ?1, ?2, ?3, ?4, ?5 WHERE EXISTS (SELECT 1 FROM photos WHERE id = ?2)")
            ->bind(1, modelRowId)
            .bind(2, p.photoId)
            .bind(3, p.labelIndex)
            .bind(4, double(p.probability))
            .bindBlob(5, p.probabilities.data(), p.probabilities.size() * sizeof(float))
            .run();
    }
    transaction.commit();
}

std::optional<Classification> Catalog::classification(int64_t modelRowId)
{
    Transaction snapshot(*this, /*write=*/false);
    auto head = statement("SELECT labels, templates, threshold FROM classifications WHERE model_id = ?");
    head->bind(1, modelRowId);
    if (!head->step())
        return std::nullopt;
    Classification c;
    try {
        c.labels = nlohmann::json::parse(head->text(0)).get<std::vector<std::string>>();
        c.templates = nlohmann::json::parse(head->text(1)).get<std::vector<std::string>>();
    } catch (const std::exception &e) {
        fail(std::string("stored classification is malformed (") + e.what() + ")");
    }
    c.threshold = float(head->real(2));
    auto rows = statement("SELECT photo_id, label_index, probability, probabilities FROM photo_labels "
                          "WHERE model_id = ? ORDER BY photo_id");
    rows->bind(1, modelRowId);
    while (rows->step()) {
        PhotoLabel p;
        p.photoId = rows->int64(0);
        p.labelIndex = int(rows->int64(1));
        p.probability = float(rows->real(2));
        p.probabilities = readVector(*rows, 3, "catalog '" + m_path + "'");
        c.photos.push_back(std::move(p));
    }
    snapshot.commit();
    return c;
}

} // namespace lodestone::detail
