/**
 * @packageDocumentation
 *
 * vivim's data model: frames (immutable units of memory), capsule genesis blocks,
 * signed commits forming an append-only Merkle log, and the history walks that give
 * time travel and merges. Every record is dag-cbor with a CIDv1 sha2-256, and every
 * block read is hash-checked before use. Knows nothing of networks, stores or key formats.
 *
 * @example
 * ```ts
 * import { createFrame, encodeFrame, createGenesis, createCommit, stateAt } from './dag/index.js'
 * const frame = encodeFrame(createFrame({ text: 'hello', author: signer.did }))
 * const genesis = createGenesis({ name: 'notes', owner: signer })
 * const commit = createCommit({ capsule: genesis.cid, parents: [], frames: [frame.cid], author: signer })
 * ```
 */
export * from './constants.js'
export * from './errors.js'
export type * from './interface.js'
export { encodeBlock, decodeBlock, decodeBlockUnsafe, verifyBlock, toCID, DAG_CBOR_CODE, RAW_CODE } from './block.js'
export { createFrame, encodeFrame, decodeFrame, validateFrame } from './frame.js'
export { createGenesis, decodeGenesis, validateGenesis, genesisSigningBytes, validateCapsuleName, CAPSULE_NAME } from './genesis.js'
export { encodeSealed, decodeSealed, validateSealed, isSealedShape } from './sealed.js'
export type { SealedFrame } from './sealed.js'
export { createCommit, decodeCommit, validateCommit, commitSigningBytes } from './commit.js'
export { ancestors, stateAt, stateFrom, headsAsOfTime, isAncestor, reduceHeads, removalsOf } from './history.js'
export type { CommitLoader, CapsuleState, WalkCommit } from './history.js'
export { cidKey, flat, base32Fast, base32UpperFast } from './cid-key.js'
export { CID } from 'multiformats/cid'
