#pragma once

// Library::index: scan, compare with the catalog, decode and embed what changed, commit batch by batch.
//
// Policies:
// - Unchanged (same path, size and modification time, status Ok, embedded with this model): only stat'ed.
// - A candidate whose bytes hash as before (only its time changed) keeps its embeddings: counted unchanged.
// - Failed files are read again on every run: they are few, and what failed them (permissions, which
//   change no modification time; a copy in progress; a limit since raised) may have gone. So every run's
//   summary lists everything that currently fails, and indexed + unchanged + moved + failed (files) +
//   unsupported covers every file found.
// - Moves: a new path whose bytes hash like a catalogued photo (embedded with this model) that is no longer
//   found takes over that row: id, embeddings (of every model) and labels stay, nothing is decoded.
// - New content at a known path drops the other models' embeddings of that photo (they describe the old
//   content); unreadable files keep theirs until their content is known.
// - Catalogued files not found are deleted at the end, in one transaction, unless the run was cancelled or
//   they lie beneath a directory that could not be read.
// - Transactions: scanner records (unsupported files, bad names) in one; then each batch (its photo rows,
//   embeddings, failures and moves) in one; then the deletions. A run killed at any moment leaves a
//   consistent catalog, and the next run redoes only the batch that was in flight.

#include "library/catalog.h"
#include "lodestone/library.h"

#include <atomic>
#include <string>

namespace lodestone {

class ClipModel;

namespace detail {

class Indexer {
public:
    // `record` describes the model (id = modelIdentity(model)). The catalog belongs to the calling thread.
    Indexer(Catalog &catalog, std::string libraryFolder, const ClipModel &model, ModelRecord record,
            const IndexOptions &options, const IndexProgressCallback &progress,
            const std::atomic<bool> *cancel);

    // Brings the catalog, the model's embeddings and its ANN index file up to date with the library's
    // folders. Per-file failures are recorded; throws Error for what stops the run (catalog, model).
    IndexSummary run();

private:
    Catalog &m_catalog;
    std::string m_libraryFolder;
    const ClipModel &m_model;
    ModelRecord m_record;
    IndexOptions m_options;
    const IndexProgressCallback &m_progress;
    const std::atomic<bool> *m_cancel;
};

} // namespace detail

} // namespace lodestone
