// CAR v1 (https://ipld.io/specs/transport/car/carv1/): varint(len) | dag-cbor { version: 1, roots }
// then sections varint(len) | CID | block. Written and read here with explicit limits, so a
// hostile length can never make us buffer more than one block (@ipld/car's stream reader
// would wait for any length the file claims). Any CAR tool reads what this writes.
import * as dagCbor from '@ipld/dag-cbor'
import { CID } from 'multiformats/cid'
import { MAX_BLOCK_SIZE } from '../../dag/index.js'
import { MAX_CAR_HEADER } from './constants.js'
import { InvalidCapsuleFileError, TruncatedFileError, UnsupportedFileError } from './errors.js'
import { concat, type ByteReader } from './_bytes.js'

/** Longest CID we accept in a section: CIDv1, sha2-256 (36 bytes) with room for larger codec varints. */
const MAX_CID_LENGTH = 64

function varint (n: number): Uint8Array {
  const out: number[] = []
  while (n >= 0x80) { out.push((n & 0x7f) | 0x80); n = Math.floor(n / 128) }
  out.push(n)
  return Uint8Array.from(out)
}

/** The CAR v1 header for these roots. */
export function carHeader (roots: CID[]): Uint8Array {
  const h = dagCbor.encode({ version: 1, roots })
  return concat([varint(h.length), h])
}

/** One CAR section: varint length, CID bytes, block bytes. */
export function carSection (cid: CID, bytes: Uint8Array): Uint8Array {
  return concat([varint(cid.bytes.length + bytes.length), cid.bytes, bytes])
}

/** Reads a varint; undefined at a clean end of input. */
async function readVarint (r: ByteReader, what: string): Promise<number | undefined> {
  const head = await r.peek(9)
  if (head.length === 0) return undefined
  let n = 0
  for (let i = 0; i < head.length; i++) {
    const b = head[i]
    n += (b & 0x7f) * 2 ** (7 * i)
    if ((b & 0x80) === 0) {
      if (i > 0 && b === 0) throw new InvalidCapsuleFileError(`${what}: non-minimal varint at byte ${r.position}`)
      r.skip(i + 1)
      return n
    }
  }
  if (head.length < 9) throw new TruncatedFileError(`${what}: the file ends inside a length at byte ${r.position}`)
  throw new InvalidCapsuleFileError(`${what}: length varint too long at byte ${r.position}`)
}

async function readExactly (r: ByteReader, n: number, what: string): Promise<Uint8Array> {
  const at = r.position
  const bytes = await r.read(n)
  if (bytes.length < n) throw new TruncatedFileError(`${what}: the file ends at byte ${at + bytes.length}, inside a ${n}-byte section starting at ${at}`)
  return bytes
}

/**
 * Reads and checks the CAR v1 header.
 *
 * @throws {InvalidCapsuleFileError} | {TruncatedFileError} | {UnsupportedFileError}
 */
export async function readCarHeader (r: ByteReader): Promise<CID[]> {
  const len = await readVarint(r, 'CAR header')
  if (len === undefined) throw new TruncatedFileError('The file ends before the CAR header')
  if (len === 0 || len > MAX_CAR_HEADER) throw new InvalidCapsuleFileError(`CAR header length ${len} is out of range`)
  const bytes = await readExactly(r, len, 'CAR header')
  let h: any
  try { h = dagCbor.decode(bytes) } catch { throw new InvalidCapsuleFileError('CAR header is not dag-cbor') }
  if (h == null || typeof h !== 'object' || Array.isArray(h)) throw new InvalidCapsuleFileError('CAR header is not a map')
  if (h.version !== 1) throw new UnsupportedFileError(`CAR version ${String(h.version)} (only version 1 is read)`)
  if (!Array.isArray(h.roots) || h.roots.length === 0) throw new InvalidCapsuleFileError('CAR header has no roots')
  for (const k of Object.keys(h)) if (k !== 'version' && k !== 'roots') throw new InvalidCapsuleFileError(`CAR header has unknown field "${k}"`)
  return h.roots.map((x: unknown) => {
    const c = CID.asCID(x)
    if (c == null) throw new InvalidCapsuleFileError('CAR root is not a CID')
    return c
  })
}

/**
 * Reads the next section; undefined at the end of the file.
 *
 * @throws {InvalidCapsuleFileError} | {TruncatedFileError}
 */
export async function readCarSection (r: ByteReader): Promise<{ cid: CID, bytes: Uint8Array } | undefined> {
  const at = r.position
  const len = await readVarint(r, 'CAR section')
  if (len === undefined) return undefined
  if (len === 0 || len > MAX_BLOCK_SIZE + MAX_CID_LENGTH) throw new InvalidCapsuleFileError(`CAR section at byte ${at} claims ${len} bytes (most is ${MAX_BLOCK_SIZE + MAX_CID_LENGTH})`)
  const bytes = await readExactly(r, len, 'CAR section')
  let cid: CID
  let rest: Uint8Array
  try { [cid, rest] = CID.decodeFirst(bytes) } catch { throw new InvalidCapsuleFileError(`CAR section at byte ${at} does not start with a CID`) }
  if (cid.version !== 1) throw new InvalidCapsuleFileError(`CAR section at byte ${at} holds a CIDv0`)
  if (bytes.length - rest.length > MAX_CID_LENGTH) throw new InvalidCapsuleFileError(`CAR section at byte ${at} has an oversized CID`)
  return { cid, bytes: rest }
}
