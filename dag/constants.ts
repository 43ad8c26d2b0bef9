import type { FrameKind } from './interface.js'

/** Schema version written into every record. */
export const SCHEMA_VERSION = 1

/** Every kind a frame may have; anything else is refused. */
export const FRAME_KINDS: readonly FrameKind[] = ['message', 'note', 'document', 'passage', 'acu', 'memory', 'tombstone']

/** Default kind of a frame put without one. */
export const DEFAULT_FRAME_KIND: FrameKind = 'note'

/**
 * Largest block we write or accept (1 MiB). Bitswap refuses blocks over 2 MiB
 * (https://specs.ipfs.tech/bitswap-protocol/#block-sizes); staying well under keeps every block transferable.
 */
export const MAX_BLOCK_SIZE = 1024 * 1024

/** Most frames one commit lists; larger batches become a chain of commits written atomically. */
export const MAX_FRAMES_PER_COMMIT = 4096

/** Longest capsule name. */
export const MAX_NAME_LENGTH = 128

/** Longest tag key or value, title, uri, role or conversation id. */
export const MAX_FIELD_LENGTH = 4096
