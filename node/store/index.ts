/**
 * @packageDocumentation
 *
 * The node's on-disk store under its home folder: blocks (blockstore-level format),
 * refs and indexes in one LevelDB, written in atomic, fsynced batches.
 */
export { Store } from './store.js'
export type { StoreBatch } from './store.js'
export { NodeInUseError, BlockNotFoundError, StoreClosedError } from './errors.js'
