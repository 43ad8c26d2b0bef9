// Hostile input: 10,000 mutated files per form (plain CAR and encrypted). Each one is either
// refused with a typed error while the target home stays byte-for-byte as it was, or, when the
// mutation kept it valid (sections of a CAR reordered or repeated), proven to be the same capsule
// by verifyFile before anything is written. Seeded; the seed and case are printed on failure.
import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { prng } from '../../_helpers.js'
import { openNode, buildCapsule, storeDigest, collect, type Opened } from './_fixture.js'
import { ENCRYPTED_HEADER_LENGTH, ENCRYPTED_MAGIC } from '../../../node/files/index.js'

const N = 10_000
const SEED = 20261121
const FAST = { logN: 4, r: 1, p: 1 }
const SEALED = 256 + 16
const UNTYPED = new Set(['Error', 'TypeError', 'RangeError', 'SyntaxError', 'ReferenceError'])

let a: Opened
let b: Opened
let plain: Uint8Array
let sealed: Uint8Array
let privy: Uint8Array
beforeAll(async () => {
  a = await openNode()
  b = await openNode()
  await buildCapsule(a.node, 'notes', 5)
  plain = await collect((await a.node.exportCapsuleStream('notes')).bytes)
  sealed = await collect((await a.node.exportCapsuleStream('notes', { encrypt: { passphrase: 'pw', kdf: FAST, chunkLog2: 8 } })).bytes)
  // A private capsule's file adds epoch blocks and frame-key bundles to parse.
  await a.node.createCapsule('vault', { private: true })
  await a.node.putMany([{ text: 'sealed one' }, { text: 'sealed two' }, { text: 'sealed three' }], { capsule: 'vault' })
  privy = await collect((await a.node.exportCapsuleStream('vault')).bytes)
  // The target already holds something of its own, so "unchanged" means something.
  await b.node.putMany([{ text: 'mine', capsule: 'own' }, { text: 'also mine', capsule: 'own' }])
})
afterAll(async () => { await a.close(); await b.close() })

/** Byte ranges of the CAR's header and sections (varint length + body). */
function carPieces (bytes: Uint8Array): Array<[number, number]> {
  const out: Array<[number, number]> = []
  let o = 0
  while (o < bytes.length) {
    let n = 0; let s = 0; let i = o
    for (;;) { const x = bytes[i++]; n += (x & 0x7f) * 2 ** s; s += 7; if ((x & 0x80) === 0) break }
    out.push([o, i + n]); o = i + n
  }
  return out
}

const cat = (...parts: Uint8Array[]): Uint8Array => { const o = new Uint8Array(parts.reduce((n, p) => n + p.length, 0)); let k = 0; for (const p of parts) { o.set(p, k); k += p.length } return o }

function mutate (src: Uint8Array, pieces: Array<[number, number]>, rand: () => number): { kind: string, bytes: Uint8Array, passphrase?: string } {
  const int = (n: number): number => Math.floor(rand() * n)
  const noise = (n: number): Uint8Array => Uint8Array.from({ length: n }, () => int(256))
  const piece = (k: number): Uint8Array => src.subarray(pieces[k][0], pieces[k][1])
  const r = rand()
  if (r < 0.25) {
    const c = src.slice()
    for (let k = 1 + int(4); k > 0; k--) c[int(c.length)] ^= 1 + int(255)
    return { kind: 'flip', bytes: c }
  }
  if (r < 0.40) return { kind: 'truncate', bytes: src.subarray(0, int(src.length)) }
  if (r < 0.50) return { kind: 'truncate-at-boundary', bytes: src.subarray(0, pieces[int(pieces.length)][0]) }
  if (r < 0.58) {
    const i = 1 + int(pieces.length - 1); const j = 1 + (i + int(pieces.length - 2)) % (pieces.length - 1)
    const order = pieces.map((_, k) => k); [order[i], order[j]] = [order[j], order[i]]
    return { kind: 'swap', bytes: cat(...order.map(piece)) }
  }
  if (r < 0.64) {
    const i = 1 + int(pieces.length - 1)
    const order = pieces.map((_, k) => k); order.splice(i + int(3), 0, i)
    return { kind: 'duplicate', bytes: cat(...order.map(k => piece(Math.min(k, pieces.length - 1)))) }
  }
  if (r < 0.70) { const i = 1 + int(pieces.length - 1); return { kind: 'drop', bytes: cat(...pieces.filter((_, k) => k !== i).map((_, k) => piece(k >= i ? k + 1 : k))) } }
  if (r < 0.76) { const at = int(src.length); return { kind: 'insert', bytes: cat(src.subarray(0, at), noise(1 + int(40)), src.subarray(at)) } }
  if (r < 0.82) { const at = int(src.length); return { kind: 'delete', bytes: cat(src.subarray(0, at), src.subarray(Math.min(src.length, at + 1 + int(40)))) } }
  if (r < 0.88) { const at = int(src.length); return { kind: 'garbage-tail', bytes: cat(src.subarray(0, at), noise(int(300))) } }
  if (r < 0.93) return { kind: 'garbage', bytes: noise(int(2 * src.length)) }
  if (r < 0.96) return { kind: 'garbage-after-magic', bytes: cat(src.subarray(0, pieces[0][1]), noise(int(src.length))) }
  if (r < 0.98) return { kind: 'empty', bytes: new Uint8Array(0) }
  return { kind: 'wrong-passphrase', bytes: src, passphrase: 'wrong' }
}

async function fuzz (src: Uint8Array, pieces: Array<[number, number]>, seed: number, count = N): Promise<Record<string, number>> {
  const rand = prng(seed)
  const ref = await b.node.verifyFile(src, { passphrase: 'pw' })
  expect(ref.ok).toBe(true)
  const digest = await storeDigest(b.node)
  const stats: Record<string, number> = { accepted: 0, refused: 0 }
  for (let n = 0; n < count; n++) {
    const m = mutate(src, pieces, rand)
    const where = `seed ${seed}, case ${n} (${m.kind}, ${m.bytes.length} bytes)`
    const passphrase = m.passphrase ?? 'pw'
    const report = await b.node.verifyFile(m.bytes, { passphrase })
    if (report.ok) {
      // Still valid: it must be the very same capsule (a CAR whose sections moved or repeat).
      expect({ capsule: report.capsule, branches: report.branches, commits: report.commits, frames: report.frames }, where)
        .toEqual({ capsule: ref.capsule, branches: ref.branches, commits: ref.commits, frames: ref.frames })
      stats.accepted++
      continue
    }
    const err = await b.node.importCapsule(m.bytes, { passphrase }).then(() => undefined, (e: Error) => e)
    expect(err, `${where}: import accepted a file verifyFile refused`).toBeDefined()
    const name = (err as Error).name
    expect(UNTYPED.has(name) || !name.endsWith('Error'), `${where}: untyped ${name}: ${(err as Error).message}`).toBe(false)
    expect(report.problems.length, where).toBeGreaterThan(0)
    expect(await storeDigest(b.node), `${where}: the home changed after a refused import`).toBe(digest)
    stats.refused++
    stats[name] = (stats[name] ?? 0) + 1
  }
  expect((await b.node.capsules()).map(c => c.name)).toEqual(['own'])
  return stats
}

describe('fuzzed capsule files', () => {
  it(`${N} mutated plain files: typed errors, no partial import`, async () => {
    const stats = await fuzz(plain, carPieces(plain), SEED)
    expect(stats.refused).toBeGreaterThan(N * 0.8)
    expect(stats.IncompleteCapsuleError).toBeGreaterThan(0)
    expect(stats.HashMismatchError ?? stats.InvalidCapsuleFileError).toBeGreaterThan(0)
  }, 600_000)

  it(`${N} mutated encrypted files: typed errors, no partial import`, async () => {
    expect(sealed.subarray(0, 8)).toEqual(ENCRYPTED_MAGIC)
    const chunks = (sealed.length - ENCRYPTED_HEADER_LENGTH) / SEALED
    const pieces: Array<[number, number]> = [[0, ENCRYPTED_HEADER_LENGTH]]
    for (let k = 0; k < chunks; k++) pieces.push([ENCRYPTED_HEADER_LENGTH + k * SEALED, ENCRYPTED_HEADER_LENGTH + (k + 1) * SEALED])
    const stats = await fuzz(sealed, pieces, SEED + 1)
    expect(stats.accepted).toBe(0) // the crypto layer lets no mutation through
    for (const name of ['TruncatedFileError', 'TamperedFileError', 'ReorderedChunksError', 'DuplicatedChunkError', 'WrongPassphraseError', 'EmptyFileError']) expect(stats[name], name).toBeGreaterThan(0)
  }, 600_000)

  it('2,000 mutated files of a private capsule (epoch blocks, frame-key bundles): typed errors, no partial import', async () => {
    const stats = await fuzz(privy, carPieces(privy), SEED + 2, 2_000)
    expect(stats.refused).toBeGreaterThan(1_600)
    expect(stats.IncompleteCapsuleError).toBeGreaterThan(0)
  }, 600_000)
})
