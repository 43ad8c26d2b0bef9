// Per-frame content keys, so one frame can be made unreadable for good (crypto-shredding).
//
// A frame sealed with its own random key:
//
//   0x02 ‖ encryptContent(frameKey, plaintext, aad)
//
// The frame key never sits in the frame's block (blocks are immutable and content-addressed,
// so nothing in them could be destroyed later). Keys travel in frame-key bundles, blocks
// that carry frame CIDs in the clear and their keys encrypted under an epoch key:
//
//   { "vivim/frame-keys@1": { id, frames: [CID, …], box: ring.encrypt(dag-cbor([key, …]), aad) } }
//
// aad = tag ‖ 0 ‖ id ‖ 0 ‖ sha-256(frame CIDs' bytes, each length-prefixed), so a key cannot
// be moved to another frame or capsule. A node keeps the keys it may use, each wrapped under
// its capsule's latest epoch key; forgetting deletes a frame's key and moves the capsule to a
// new epoch whose key the old epochs' holders cannot reach (see node/private).

import * as dagCbor from '@ipld/dag-cbor'
import { CID } from 'multiformats/cid'
import { sha256 as sha256Hasher } from 'multiformats/hashes/sha2'
import { sha256 } from '@noble/hashes/sha2.js'
import { FRAME_KEYS_TAG, KEY_BYTES } from './constants.js'
import { DecryptionError, MalformedEnvelopeError } from './errors.js'
import { decryptContent, encryptContent } from './content.js'
import { concat, isBytes, isMap, unknownKeys, utf8 } from './_bytes.js'
import type { EpochKeyring } from './keyring.js'

/** Version byte of a box sealed under a frame's own key (keyring ciphertexts start with 1). */
export const FRAME_BOX_VERSION = 2
/** Most keys in one bundle: about 70 bytes each, so a bundle stays under 300 KB. */
export const MAX_BUNDLE_KEYS = 4096
const DAG_CBOR = 0x71

/** Seals plaintext under a frame key. @throws {InvalidKeyError} */
export function sealFrameBox (key: Uint8Array, plaintext: Uint8Array, aad?: Uint8Array): Uint8Array {
  return concat(Uint8Array.of(FRAME_BOX_VERSION), encryptContent(key, plaintext, aad))
}

/** True when a box was sealed under a frame key (not directly under an epoch key). */
export function isFrameBox (box: Uint8Array): boolean {
  return isBytes(box) && box.length > 0 && box[0] === FRAME_BOX_VERSION
}

/**
 * Opens a frame box.
 *
 * @throws {MalformedEnvelopeError} for another layout
 * @throws {DecryptionError} for a wrong key or any tampering
 */
export function openFrameBox (key: Uint8Array, box: Uint8Array, aad?: Uint8Array): Uint8Array {
  if (!isFrameBox(box)) throw new MalformedEnvelopeError('not a frame-key box')
  return decryptContent(key, box.subarray(1), aad)
}

/** A decoded frame-key bundle (its keys still encrypted). */
export interface FrameKeyBundle {
  readonly cid: CID
  readonly bytes: Uint8Array
  /** The capsule id. */
  readonly id: string
  readonly frames: CID[]
  readonly box: Uint8Array
}

function bundleAad (id: string, frames: CID[]): Uint8Array {
  const h = sha256.create()
  for (const f of frames) {
    const len = new Uint8Array(4)
    new DataView(len.buffer).setUint32(0, f.bytes.length)
    h.update(len); h.update(f.bytes)
  }
  return concat(utf8(FRAME_KEYS_TAG), Uint8Array.of(0), utf8(id), Uint8Array.of(0), h.digest())
}

async function blockOf (value: unknown): Promise<{ cid: CID, bytes: Uint8Array }> {
  const bytes = dagCbor.encode(value)
  return { cid: CID.createV1(DAG_CBOR, await sha256Hasher.digest(bytes)), bytes }
}

/**
 * Bundles frame keys under the keyring's latest epoch, in blocks of at most {@link MAX_BUNDLE_KEYS}.
 *
 * @throws {NotAReaderError} when the keyring holds no epoch key
 */
export async function encodeFrameKeys (ring: EpochKeyring, entries: Iterable<[CID, Uint8Array]>): Promise<FrameKeyBundle[]> {
  const out: FrameKeyBundle[] = []
  let frames: CID[] = []
  let keys: Uint8Array[] = []
  const flush = async (): Promise<void> => {
    if (frames.length === 0) return
    const box = ring.encrypt(dagCbor.encode(keys), bundleAad(ring.id, frames))
    const { cid, bytes } = await blockOf({ [FRAME_KEYS_TAG]: { id: ring.id, frames, box } })
    out.push(Object.freeze({ cid, bytes, id: ring.id, frames, box }))
    frames = []; keys = []
  }
  for (const [cid, key] of entries) {
    frames.push(cid); keys.push(key)
    if (frames.length >= MAX_BUNDLE_KEYS) await flush()
  }
  await flush()
  return out
}

/** True when a decoded block has a frame-key bundle's outer shape. */
export function isFrameKeysShape (value: unknown): boolean {
  return isMap(value) && Object.keys(value).length === 1 && Object.hasOwn(value, FRAME_KEYS_TAG)
}

/**
 * Decodes a frame-key bundle strictly (its keys stay encrypted).
 *
 * @throws {MalformedEnvelopeError} on any malformation
 */
export function decodeFrameKeys (cid: CID, bytes: Uint8Array): FrameKeyBundle {
  let v: unknown
  try { v = dagCbor.decode(bytes) } catch { throw new MalformedEnvelopeError('frame-key bundle is not dag-cbor') }
  if (!isFrameKeysShape(v)) throw new MalformedEnvelopeError('not a frame-key bundle')
  const p = (v as Record<string, unknown>)[FRAME_KEYS_TAG]
  if (!isMap(p) || unknownKeys(p, ['id', 'frames', 'box']).length > 0) throw new MalformedEnvelopeError('bad frame-key bundle fields')
  const { id, frames, box } = p
  if (typeof id !== 'string' || id.length > 1024) throw new MalformedEnvelopeError('bad frame-key bundle id')
  if (!Array.isArray(frames) || frames.length === 0 || frames.length > MAX_BUNDLE_KEYS) throw new MalformedEnvelopeError('bad frame-key bundle frames')
  const list: CID[] = []
  for (const f of frames) {
    const c = CID.asCID(f)
    if (c == null) throw new MalformedEnvelopeError('frame-key bundle frames must be CIDs')
    list.push(c)
  }
  if (!isBytes(box)) throw new MalformedEnvelopeError('bad frame-key bundle box')
  return Object.freeze({ cid, bytes, id, frames: list, box })
}

/**
 * Opens a bundle's keys (frame CID string → key).
 *
 * @throws {UnknownEpochError} | {NotAReaderError} when the keyring holds no key for its epoch
 * @throws {DecryptionError} when the box was altered or does not match its frames
 */
export function openFrameKeys (ring: EpochKeyring, bundle: FrameKeyBundle): Map<string, Uint8Array> {
  if (bundle.id !== ring.id) throw new MalformedEnvelopeError('frame-key bundle of another capsule')
  const plain = ring.decrypt(bundle.box, bundleAad(bundle.id, bundle.frames))
  let keys: unknown
  try { keys = dagCbor.decode(plain) } catch { throw new DecryptionError('frame-key bundle content is not dag-cbor') }
  if (!Array.isArray(keys) || keys.length !== bundle.frames.length || !keys.every(k => isBytes(k) && k.length === KEY_BYTES)) throw new DecryptionError('frame-key bundle content has the wrong shape')
  const out = new Map<string, Uint8Array>()
  bundle.frames.forEach((f, i) => out.set(f.toString(), keys[i] as Uint8Array))
  return out
}
