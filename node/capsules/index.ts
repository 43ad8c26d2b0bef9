/**
 * @packageDocumentation
 *
 * Capsules on a node: records and refs, the group-commit writer, history and time travel.
 */
export { Capsules, checkBranchName } from './capsules.js'
export { Refs, refKey } from './refs.js'
export type { CapsuleRecord } from './refs.js'
export { Writer, timeKey, seqKey } from './writer.js'
export type { WriteJob, CommittedFrames } from './writer.js'
export { frameView } from './view.js'
