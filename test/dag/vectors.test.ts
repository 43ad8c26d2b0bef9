import { describe, it, expect } from 'vitest'
import { readFileSync } from 'node:fs'
import * as dagCbor from '@ipld/dag-cbor'
import { CID } from 'multiformats/cid'
import { sha256 } from 'multiformats/hashes/sha2'
import { createFrame, encodeFrame, decodeFrame, decodeGenesis, decodeCommit } from '../../dag/index.js'
import { verifyDidSignature } from '../../capabilities/index.js'

const vectors = JSON.parse(readFileSync(new URL('../vectors/dag.json', import.meta.url), 'utf8'))
const bytes = (hex: string): Uint8Array => Uint8Array.from(Buffer.from(hex, 'hex'))
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex')

describe('dag vectors (test/vectors/dag.json)', () => {
  for (const v of vectors.valid) {
    it(`${v.type} ${v.cid.slice(0, 16)}…: bytes hash to the CID, decode and re-encode identically`, async () => {
      const b = bytes(v.hex)
      const cid = CID.parse(v.cid)
      // Differential: the CID from multiformats' own sha256 over the bytes.
      expect(CID.createV1(dagCbor.code, await sha256.digest(b)).equals(cid)).toBe(true)
      expect(toHex(dagCbor.encode(dagCbor.decode(b)))).toBe(v.hex)
      if (v.type === 'frame') {
        expect(toHex(encodeFrame(createFrame(v.input)).bytes)).toBe(v.hex)
        expect(decodeFrame(cid, b).text).toBe(v.input.text)
      } else if (v.type === 'genesis') {
        expect(decodeGenesis(cid, b, verifyDidSignature).owner).toBe(vectors.author)
      } else {
        expect(decodeCommit(cid, b, verifyDidSignature).author).toBe(vectors.author)
      }
    })
  }
  for (const v of vectors.invalid) {
    it(`invalid ${v.type} (${v.name}) throws ${v.error}`, () => {
      expect(() => decodeFrame(CID.parse(v.cid), bytes(v.hex))).toThrow(expect.objectContaining({ name: v.error }))
    })
  }
})
