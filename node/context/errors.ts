/** The index was asked to work before `open()` or after `close()`. */
export class IndexClosedError extends Error {
  static override readonly name = 'IndexClosedError'
  override readonly name = 'IndexClosedError'
  constructor (message = 'the search index is not open') { super(message) }
}

/** The persisted index was written by another format or tokenizer version, or is incomplete: call `rebuild`. */
export class IndexStaleError extends Error {
  static override readonly name = 'IndexStaleError'
  override readonly name = 'IndexStaleError'
  constructor (message = 'the search index must be rebuilt (run `vivim reindex`)') { super(message) }
}

/** The index was built with another embedding model or dimension than the embedder given. */
export class EmbedderMismatchError extends Error {
  static override readonly name = 'EmbedderMismatchError'
  override readonly name = 'EmbedderMismatchError'
  constructor (message = 'the index was built with another embedding model; rebuild it to switch') { super(message) }
}

/** An embedder is configured but cannot run here (no supported runtime, missing model folder). */
export class EmbedderUnavailableError extends Error {
  static override readonly name = 'EmbedderUnavailableError'
  override readonly name = 'EmbedderUnavailableError'
  constructor (message = 'the embedder is not available') { super(message) }
}

/** The embedding provider answered with an error or a malformed body. */
export class EmbedderResponseError extends Error {
  static override readonly name = 'EmbedderResponseError'
  override readonly name = 'EmbedderResponseError'
  readonly status?: number
  constructor (message = 'the embedding provider failed', status?: number) {
    super(message)
    this.status = status
  }
}

/** A budget or bound of the context assembler cannot be met (e.g. minimums above the total). */
export class BudgetError extends Error {
  static override readonly name = 'BudgetError'
  override readonly name = 'BudgetError'
  constructor (message = 'the context budget cannot hold the layer minimums') { super(message) }
}

/** An operation was aborted through its signal. */
export class AbortError extends Error {
  static override readonly name = 'AbortError'
  override readonly name = 'AbortError'
  constructor (message = 'the operation was aborted') { super(message) }
}
