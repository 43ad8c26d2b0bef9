import { CID } from 'multiformats/cid'
import { encodeBlock, decodeBlock } from './block.js'
import { DEFAULT_FRAME_KIND, FRAME_KINDS, MAX_BLOCK_SIZE, SCHEMA_VERSION } from './constants.js'
import { InvalidRecordError, UnknownKindError } from './errors.js'
import { cid, did, int, onlyKeys, optStr, record, str, tags as tagMap } from './_validate.js'
import type { EncodedBlock, Frame, FrameInit, FrameKind } from './interface.js'

const FRAME_KEYS = ['v', 'kind', 'text', 'time', 'recorded', 'author', 'title', 'uri', 'tags', 'conversation', 'role', 'supersedes'] as const

/** The dag-cbor codec name frames use; frames are ordinary dag-cbor any IPLD tool reads. */
export const name = 'vivim-frame'

function toMs (v: Date | number | undefined, field: string, fallback: number): number {
  if (v === undefined) return fallback
  if (v instanceof Date) {
    const t = v.getTime()
    if (!Number.isFinite(t)) throw new InvalidRecordError(`${field} is an invalid Date`)
    return int(Math.floor(t), field)
  }
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new TypeError(`${field} must be a Date or a number of ms`)
  return int(Math.floor(v), field)
}

function kindOf (v: unknown): FrameKind {
  if (typeof v !== 'string') throw new InvalidRecordError('kind must be a string')
  if (!(FRAME_KINDS as readonly string[]).includes(v)) throw new UnknownKindError(`Unknown frame kind "${v.slice(0, 64)}"; expected one of ${FRAME_KINDS.join(', ')}`)
  return v as FrameKind
}

/**
 * Validates a frame's shape: every field typed, no unknown field, a tombstone names what it removes.
 *
 * @throws {InvalidRecordError} on a wrong shape
 * @throws {UnknownKindError} on a kind not in FRAME_KINDS
 */
export function validateFrame (value: unknown): Frame {
  const obj = record(value, 'frame')
  onlyKeys(obj, FRAME_KEYS, 'frame')
  if (obj.v !== SCHEMA_VERSION) throw new InvalidRecordError(`frame.v must be ${SCHEMA_VERSION}`)
  const frame: Frame = {
    v: SCHEMA_VERSION,
    kind: kindOf(obj.kind),
    text: str(obj.text, 'frame.text', MAX_BLOCK_SIZE),
    time: int(obj.time, 'frame.time'),
    recorded: int(obj.recorded, 'frame.recorded'),
    author: did(obj.author, 'frame.author')
  }
  const title = optStr(obj.title, 'frame.title'); if (title !== undefined) frame.title = title
  const uri = optStr(obj.uri, 'frame.uri'); if (uri !== undefined) frame.uri = uri
  const tags = tagMap(obj.tags, 'frame.tags'); if (tags !== undefined) frame.tags = tags
  const conversation = optStr(obj.conversation, 'frame.conversation'); if (conversation !== undefined) frame.conversation = conversation
  const role = optStr(obj.role, 'frame.role', 256); if (role !== undefined) frame.role = role
  if (obj.supersedes !== undefined) frame.supersedes = cid(obj.supersedes, 'frame.supersedes')
  if (frame.kind === 'tombstone' && frame.supersedes == null) throw new InvalidRecordError('a tombstone must name the frame it removes (supersedes)')
  return frame
}

/**
 * Makes a frame from caller input, filling defaults (kind, time and recorded = now) and validating it.
 *
 * @example
 * ```ts
 * const frame = createFrame({ text: 'hello', author: did })
 * const { cid, bytes } = encodeFrame(frame)
 * ```
 */
export function createFrame (init: FrameInit, now = Date.now()): Frame {
  if (init == null || typeof init !== 'object') throw new TypeError('frame input must be an object')
  if (typeof init.text !== 'string') throw new TypeError('text must be a string')
  const value: Record<string, unknown> = {
    v: SCHEMA_VERSION,
    kind: init.kind ?? DEFAULT_FRAME_KIND,
    text: init.text,
    time: toMs(init.time, 'time', now),
    recorded: toMs(init.recorded, 'recorded', now),
    author: init.author
  }
  // Absent, never undefined: equal frames must encode to equal bytes.
  if (init.title !== undefined) value.title = init.title
  if (init.uri !== undefined) value.uri = init.uri
  if (init.tags !== undefined && Object.keys(init.tags).length > 0) value.tags = init.tags
  if (init.conversation !== undefined) value.conversation = init.conversation
  if (init.role !== undefined) value.role = init.role
  if (init.supersedes !== undefined) value.supersedes = CID.asCID(init.supersedes) ?? init.supersedes
  return validateFrame(value)
}

/** Encodes a validated frame as a block. */
export function encodeFrame (frame: Frame): EncodedBlock<Frame> {
  return encodeBlock(frame)
}

/**
 * Decodes a frame block: hash checked, then shape validated.
 *
 * @throws {HashMismatchError} | {InvalidRecordError} | {UnknownKindError}
 */
export function decodeFrame (cid: CID, bytes: Uint8Array): Frame {
  return validateFrame(decodeBlock(cid, bytes))
}
