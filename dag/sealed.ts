import type { CID } from 'multiformats/cid'
import { encodeBlock, decodeBlock } from './block.js'
import { SCHEMA_VERSION } from './constants.js'
import { InvalidRecordError } from './errors.js'
import { bytes, cid, onlyKeys, record } from './_validate.js'
import type { EncodedBlock } from './interface.js'

/**
 * A frame of a private capsule as it is stored and replicated: the frame's dag-cbor bytes
 * encrypted under the capsule's current epoch key (the `box` names its epoch). Its CID is
 * computed over the ciphertext, so replicas verify blocks without being able to read them.
 */
export interface SealedFrame {
  v: 1
  type: 'sealed'
  /** The capsule's genesis CID (binds the box to its capsule). */
  capsule: CID
  box: Uint8Array
}

const SEALED_KEYS = ['v', 'type', 'capsule', 'box'] as const

/** True when a decoded block has the shape of a sealed frame (cheap check before validating). */
export function isSealedShape (value: unknown): boolean {
  return value != null && typeof value === 'object' && (value as any).type === 'sealed'
}

/** Validates a sealed frame's shape. @throws {InvalidRecordError} */
export function validateSealed (value: unknown): SealedFrame {
  const obj = record(value, 'sealed frame')
  onlyKeys(obj, SEALED_KEYS, 'sealed frame')
  if (obj.v !== SCHEMA_VERSION) throw new InvalidRecordError(`sealed.v must be ${SCHEMA_VERSION}`)
  if (obj.type !== 'sealed') throw new InvalidRecordError('sealed.type must be "sealed"')
  return { v: SCHEMA_VERSION, type: 'sealed', capsule: cid(obj.capsule, 'sealed.capsule'), box: bytes(obj.box, 'sealed.box') }
}

export function encodeSealed (capsule: CID, box: Uint8Array): EncodedBlock<SealedFrame> {
  return encodeBlock(validateSealed({ v: SCHEMA_VERSION, type: 'sealed', capsule, box }))
}

/** Decodes a sealed frame block: hash checked, shape validated. */
export function decodeSealed (c: CID, data: Uint8Array): SealedFrame {
  return validateSealed(decodeBlock(c, data))
}
