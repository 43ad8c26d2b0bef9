import { describe, it, expect } from 'vitest'
import * as dagCbor from '@ipld/dag-cbor'
import { CID } from 'multiformats/cid'
import { sha256 } from 'multiformats/hashes/sha2'
import { createFrame, encodeFrame, decodeFrame, validateFrame, encodeBlock, FRAME_KINDS } from '../../dag/index.js'
import { Ed25519Key } from '../../capabilities/index.js'

const author = Ed25519Key.fromSecret(new Uint8Array(32).fill(7)).did

describe('frames', () => {
  it('encode to dag-cbor that @ipld/dag-cbor decodes identically, with a sha2-256 CIDv1', async () => {
    const frame = createFrame({ text: 'héllo 世界 👋', author, time: 1_700_000_000_000, recorded: 1_700_000_000_001, title: 't', uri: 'x://y', tags: { a: 'b' }, kind: 'message', role: 'user', conversation: 'c1' })
    const { cid, bytes } = encodeFrame(frame)
    expect(cid.version).toBe(1)
    expect(cid.code).toBe(dagCbor.code)
    const expected = CID.createV1(dagCbor.code, await sha256.digest(bytes))
    expect(cid.equals(expected)).toBe(true)
    expect(dagCbor.decode(bytes)).toEqual(frame)
    expect(decodeFrame(cid, bytes)).toEqual(frame)
  })

  it('equal inputs give equal CIDs, and optional fields are absent rather than undefined', () => {
    const a = encodeFrame(createFrame({ text: 'x', author, time: 1, recorded: 2, tags: {} }))
    const b = encodeFrame(createFrame({ text: 'x', author, time: new Date(1), recorded: 2, title: undefined }))
    expect(a.cid.equals(b.cid)).toBe(true)
    expect(Object.keys(dagCbor.decode(a.bytes) as object)).not.toContain('tags')
  })

  it('refuses unknown kinds with UnknownKindError', () => {
    expect(() => createFrame({ text: 'x', author, kind: 'weird' as any })).toThrow(expect.objectContaining({ name: 'UnknownKindError' }))
  })

  it.each([
    ['text not a string', { text: 42 }],
    ['negative time', { text: 'x', time: -5 }],
    ['NaN time', { text: 'x', time: Number.NaN }],
    ['bad author', { text: 'x', author: 'bob' }],
    ['tag value not a string', { text: 'x', tags: { a: 1 } }],
    ['tombstone without target', { text: '', kind: 'tombstone' }]
  ])('refuses %s', (_name, input) => {
    let err: any
    try { createFrame({ author, ...(input as any) }) } catch (e) { err = e }
    expect(err).toBeDefined()
    expect(['InvalidRecordError', 'TypeError', 'UnknownKindError']).toContain(err.name)
  })

  it('decoder validates shape: unknown fields, wrong version and wrong types are refused', () => {
    const good = createFrame({ text: 'x', author, time: 1, recorded: 1 })
    for (const bad of [{ ...good, extra: 1 }, { ...good, v: 2 }, { ...good, time: 'now' }, { ...good, kind: 7 }, [good], 'frame', null]) {
      const block = encodeBlock(bad)
      expect(() => decodeFrame(block.cid, block.bytes)).toThrow(expect.objectContaining({ name: expect.stringMatching(/InvalidRecordError|UnknownKindError/) }))
    }
    expect(() => validateFrame({ ...good, tags: { a: { b: 1 } } })).toThrow(expect.objectContaining({ name: 'InvalidRecordError' }))
  })

  it('refuses bytes that do not match the CID (HashMismatchError) and garbage (InvalidRecordError)', () => {
    const { cid, bytes } = encodeFrame(createFrame({ text: 'x', author, time: 1, recorded: 1 }))
    const altered = bytes.slice(); altered[altered.length - 1] ^= 1
    expect(() => decodeFrame(cid, altered)).toThrow(expect.objectContaining({ name: 'HashMismatchError' }))
    const garbage = new Uint8Array([0xff, 0x00, 0x13])
    const g = CID.createV1(dagCbor.code, sha256.digest(garbage) as any)
    expect(() => decodeFrame(g, garbage)).toThrow(expect.objectContaining({ name: 'InvalidRecordError' }))
  })

  it('knows every documented kind', () => {
    for (const kind of FRAME_KINDS.filter(k => k !== 'tombstone')) expect(createFrame({ text: 'x', author, kind }).kind).toBe(kind)
  })
})
