// The signed envelope shared by UCAN tokens and our own signed records
// (ucan-wg/spec, "Envelope"): DAG-CBOR `[signature, {h: varsig header, <tag>: payload}]`,
// where the signature covers the DAG-CBOR bytes of the second element.
//
// We verify the signature over those bytes exactly as they arrived (a slice of the
// envelope), so nothing is re-encoded; @ipld/dag-cbor's strict decoding refuses
// non-minimal integer and length encodings, so the signature element cannot be
// re-encoded either: one signed payload has one envelope and one CID.

import * as dagCbor from '@ipld/dag-cbor'
import { CID } from 'multiformats/cid'
import { create as createDigest } from 'multiformats/hashes/digest'
import { sha256 } from '@noble/hashes/sha2.js'
import { DAG_CBOR_CODE, SHA2_256_CODE, VARSIG_ED25519_DAG_CBOR } from './constants.js'
import { isBytes, isMap } from './_bytes.js'
import type { Signer } from './identity.js'

/** A decoded signed envelope, before its payload is interpreted. */
export interface RawEnvelope {
  readonly bytes: Uint8Array
  readonly cid: CID
  readonly signature: Uint8Array
  readonly header: Uint8Array
  readonly signed: Uint8Array
  readonly tag: string
  readonly payload: unknown
}

type ErrorClass = new (message?: string) => Error

/** CIDv1 dag-cbor sha2-256 of a block's bytes (synchronous). */
export function cidOf (bytes: Uint8Array): CID {
  return CID.createV1(DAG_CBOR_CODE, createDigest(SHA2_256_CODE, sha256(bytes)))
}

/**
 * Signs `payload` under `tag` with an Ed25519 signer and encodes the envelope.
 */
export function encodeEnvelope (signer: Signer, tag: string, payload: Record<string, unknown>): RawEnvelope {
  const sigPayload = { h: VARSIG_ED25519_DAG_CBOR, [tag]: payload }
  const signed = dagCbor.encode(sigPayload)
  const signature = signer.sign(signed)
  const bytes = dagCbor.encode([signature, sigPayload])
  return { bytes, cid: cidOf(bytes), signature, header: VARSIG_ED25519_DAG_CBOR, signed, tag, payload }
}

/** Length of the CBOR head of a byte string at `off` plus its content. */
function byteStringEnd (bytes: Uint8Array, off: number): number {
  const ib = bytes[off]
  if (ib >> 5 !== 2) return -1
  const ai = ib & 0x1f
  if (ai < 24) return off + 1 + ai
  if (ai === 24) return off + 2 + bytes[off + 1]
  if (ai === 25) return off + 3 + ((bytes[off + 1] << 8) | bytes[off + 2])
  if (ai === 26) return off + 5 + (((bytes[off + 1] << 24) >>> 0) + ((bytes[off + 2] << 16) | (bytes[off + 3] << 8) | bytes[off + 4]))
  return -1
}

/**
 * Decodes an envelope strictly: a 2-array of bytes and a map with exactly `h` and one tag.
 *
 * @param accept - the tags accepted
 * @param Err - the error class thrown on any malformation
 */
export function decodeEnvelope (bytes: unknown, accept: readonly string[], maxBytes: number, Err: ErrorClass): RawEnvelope {
  if (!isBytes(bytes)) throw new Err('envelope must be bytes')
  if (bytes.length === 0 || bytes.length > maxBytes) throw new Err('envelope size out of bounds')
  // A 2-element array whose first element is a byte string: checked on the raw bytes
  // first so the signed slice is exactly element 1.
  if (bytes[0] !== 0x82) throw new Err('envelope must be a 2-element array')
  let value: unknown
  try {
    value = dagCbor.decode(bytes)
  } catch {
    throw new Err('envelope is not valid DAG-CBOR')
  }
  if (!Array.isArray(value) || value.length !== 2) throw new Err('envelope must be a 2-element array')
  const [signature, sigPayload] = value
  if (!isBytes(signature)) throw new Err('signature must be bytes')
  if (!isMap(sigPayload)) throw new Err('signed payload must be a map')
  const keys = Object.keys(sigPayload)
  if (keys.length !== 2 || !Object.hasOwn(sigPayload, 'h')) throw new Err('signed payload must hold h and one tag')
  const header = sigPayload.h
  if (!isBytes(header)) throw new Err('varsig header must be bytes')
  const tag = keys[0] === 'h' ? keys[1] : keys[0]
  if (!accept.includes(tag)) throw new Err('unknown envelope tag')
  const start = byteStringEnd(bytes, 1)
  if (start <= 1 || start >= bytes.length) throw new Err('bad signature element')
  return { bytes, cid: cidOf(bytes), signature, header, signed: bytes.subarray(start), tag, payload: sigPayload[tag] }
}
