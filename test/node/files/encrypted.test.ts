// The encrypted container: each way a file can be damaged is refused with its own error, and
// nothing is imported. Offsets follow the layout in node/files/encrypted.ts.
import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { openNode, buildCapsule, storeDigest, collect, type Opened } from './_fixture.js'
import { encryptStream, decryptStream, ByteReader, DEFAULT_SCRYPT, ENCRYPTED_HEADER_LENGTH } from '../../../node/files/index.js'

const FAST = { logN: 4, r: 1, p: 1 }
const CHUNK = 256
const SEALED = CHUNK + 16
const H = ENCRYPTED_HEADER_LENGTH

let a: Opened
let b: Opened
let file: Uint8Array
let chunks: number
beforeAll(async () => {
  a = await openNode()
  b = await openNode()
  await buildCapsule(a.node)
  const { bytes } = await a.node.exportCapsuleStream('notes', { encrypt: { passphrase: 'pw', kdf: FAST, chunkLog2: 8 } })
  file = await collect(bytes)
  chunks = (file.length - H) / SEALED
})
afterAll(async () => { await a.close(); await b.close() })

const chunkAt = (i: number): Uint8Array => file.subarray(H + i * SEALED, H + (i + 1) * SEALED)
const cat = (...parts: Uint8Array[]): Uint8Array => { const o = new Uint8Array(parts.reduce((n, p) => n + p.length, 0)); let k = 0; for (const p of parts) { o.set(p, k); k += p.length } return o }
const flip = (bytes: Uint8Array, at: number): Uint8Array => { const c = bytes.slice(); c[at] ^= 0x20; return c }

async function refused (bytes: Uint8Array, name: string, pass: string | null = 'pw'): Promise<void> {
  const passphrase = pass ?? undefined
  const before = await storeDigest(b.node)
  const err = await b.node.importCapsule(bytes, { passphrase }).then(() => undefined, (e: Error) => e)
  expect(err?.name, `expected ${name}`).toBe(name)
  expect(await storeDigest(b.node)).toBe(before)
  const report = await b.node.verifyFile(bytes, { passphrase })
  expect(report.ok).toBe(false)
  expect(report.problems[0].error).toBe(name)
}

describe('encrypted capsule file', () => {
  it('every chunk is the same size on disk, and the default KDF is strong (scrypt N=2^17, r=8)', async () => {
    expect(Number.isInteger(chunks)).toBe(true)
    expect(chunks).toBeGreaterThan(3)
    const header = (await collect(encryptStream((async function * () { yield new Uint8Array(10) })(), { passphrase: 'x' }))).subarray(0, H)
    expect([header[10], header[11], header[12]]).toEqual([DEFAULT_SCRYPT.logN, DEFAULT_SCRYPT.r, DEFAULT_SCRYPT.p])
  })

  it('decrypts back to the exact CAR bytes, whatever the plaintext length (chunk boundaries included)', async () => {
    for (const n of [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK, 3 * CHUNK + 5]) {
      const plain = Uint8Array.from({ length: n }, (_, i) => (i * 7) & 0xff)
      const sealed = await collect(encryptStream((async function * () { yield plain })(), { passphrase: 'pw', kdf: FAST, chunkLog2: 8 }))
      expect((sealed.length - H) % SEALED).toBe(0)
      expect(await collect(decryptStream(new ByteReader([sealed]), 'pw'))).toEqual(plain)
    }
  })

  it('refuses a wrong or missing passphrase', async () => {
    await refused(file, 'WrongPassphraseError', 'not the passphrase')
    await refused(file, 'PassphraseRequiredError', null)
  })

  it('refuses truncation anywhere: in the header, inside a chunk, and exactly at every chunk boundary', async () => {
    await refused(file.subarray(0, 3), 'TruncatedFileError')
    await refused(file.subarray(0, H - 1), 'TruncatedFileError')
    await refused(file.subarray(0, H + 10), 'TruncatedFileError')
    await refused(file.subarray(0, file.length - 1), 'TruncatedFileError')
    for (let k = 0; k < chunks; k++) await refused(file.subarray(0, H + k * SEALED), 'TruncatedFileError')
  })

  it('refuses reordered, duplicated, dropped and altered chunks, an altered header and data after the end', async () => {
    const before = file.subarray(0, H + SEALED)
    await refused(cat(before, chunkAt(2), chunkAt(1), file.subarray(H + 3 * SEALED)), 'ReorderedChunksError')
    await refused(cat(file.subarray(0, H + 2 * SEALED), chunkAt(1), file.subarray(H + 2 * SEALED)), 'DuplicatedChunkError')
    await refused(cat(before, file.subarray(H + 2 * SEALED)), 'ReorderedChunksError')
    await refused(flip(file, H + SEALED + 5), 'TamperedFileError')
    await refused(flip(file, file.length - 1), 'TamperedFileError')
    await refused(flip(file, 20), 'TamperedFileError') // salt: caught by the header digest before any KDF
    await refused(flip(file, 70), 'TamperedFileError') // key check: the first chunk still opens
    await refused(cat(file, new Uint8Array(5)), 'TamperedFileError')
    await refused(cat(file, chunkAt(0)), 'TamperedFileError')
    await refused(new Uint8Array(0), 'EmptyFileError')
  })

  it('refuses a header asking for more KDF memory than MAX_SCRYPT_MEMORY, or an unknown version, before running any KDF', async () => {
    const { sha256 } = await import('@noble/hashes/sha2.js')
    const redigest = (bytes: Uint8Array): Uint8Array => { const c = bytes.slice(); c.set(sha256(c.subarray(0, 48)).subarray(0, 16), 48); return c }
    const costly = file.slice(); costly[10] = 30; costly[11] = 8
    await refused(redigest(costly), 'UnsupportedFileError')
    const future = file.slice(); future[8] = 2
    await refused(redigest(future), 'UnsupportedFileError')
  })

  it('a correct file imports after all those refusals', async () => {
    const r = await b.node.importCapsule(file, { passphrase: 'pw' })
    expect(r.encrypted).toBe(true)
    expect(r.commits.added).toBe(r.commits.total)
  })
})
