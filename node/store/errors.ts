/** The home folder is open in another process (or another node in this one). */
export class NodeInUseError extends Error {
  static override name = 'NodeInUseError'
  override name = 'NodeInUseError'
  constructor (message = 'The vivim home is in use by another process') { super(message) }
}

/** A block the store does not hold. */
export class BlockNotFoundError extends Error {
  static override name = 'BlockNotFoundError'
  override name = 'BlockNotFoundError'
  constructor (message = 'Block not found') { super(message) }
}

/** The store was used after close, or before open. */
export class StoreClosedError extends Error {
  static override name = 'StoreClosedError'
  override name = 'StoreClosedError'
  constructor (message = 'The store is closed') { super(message) }
}
