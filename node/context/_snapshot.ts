import { Postings } from './_postings.js'
import { PagedBytes } from './_paged-bytes.js'
import { dropOtherSnapshotFiles, readSnapshotFile, writeSnapshotFile } from './_snapshot-file.js'
import type { InvertedIndex } from './inverted-index.js'
import type { Store } from './_store.js'

/**
 * A compact snapshot of the in-memory index, in a file of its own (see _snapshot-file.ts) or in
 * level under `snap`: typed arrays as raw bytes and string lists as JSON, each cut into chunks
 * of at most CHUNK bytes (in level: `<gen>!<name>!<chunk>`), so neither writing nor reading
 * needs a second copy of the whole index. A generation becomes the
 * current one only when `meta/info` names it (written after all its chunks): a crash while one is
 * written leaves the previous generation and its log in force.
 */
// Small values: LevelDB reads and writes a value whole, and a read step returns READ_BATCH
// of them at once (64 chunks of 4 MiB each were 256 MiB in flight).
const CHUNK = 1 << 18
/** Strings per JSON chunk (a CID list chunk stays near CHUNK bytes). */
const STRINGS_PER_CHUNK = 2_000
/** Chunks read per iterator step. */
const READ_BATCH = 8

function prefix (gen: number): string { return String(gen).padStart(8, '0') + '!' }
function key (gen: number, name: string, i: number): string { return `${prefix(gen)}${name}!${String(i).padStart(6, '0')}` }

type Put = (name: string, chunks: Iterable<Uint8Array>) => Promise<void>

function * bytesOf (a: ArrayBufferView, length: number): Generator<Uint8Array> {
  const per = a.byteLength / ((a as unknown as { length: number }).length || 1)
  const bytes = new Uint8Array(a.buffer, a.byteOffset, Math.round(length * per))
  for (let o = 0; o < bytes.length; o += CHUNK) yield bytes.subarray(o, Math.min(bytes.length, o + CHUNK))
  if (bytes.length === 0) yield new Uint8Array(0)
}

function * stringsOf (list: { slice: (start: number, end: number) => Array<string | undefined | null> }, length: number): Generator<Uint8Array> {
  const enc = new TextEncoder()
  for (let i = 0; i < length || i === 0; i += STRINGS_PER_CHUNK) {
    yield enc.encode(JSON.stringify(list.slice(i, Math.min(length, i + STRINGS_PER_CHUNK)).map(s => s ?? null)))
  }
}

/**
 * Writes the index as snapshot generation `gen` (the caller then points meta/info at it): into
 * a file in `dir` when given (see _snapshot-file.ts), else into level.
 */
export async function writeSnapshot (s: Store, ix: InvertedIndex, gen: number, dir?: string): Promise<void> {
  if (dir !== undefined) {
    await writeSnapshotFile(dir, gen, async (write) => {
      await writeParts(ix, async (name, chunks) => {
        let i = 0
        for (const c of chunks) await write(name, i++, c)
      })
    })
    return
  }
  // Chunks of generations other than the current one are leftovers of an interrupted write.
  await s.snap.clear({ gte: prefix(gen), lt: prefix(gen + 1) })
  await writeParts(ix, async (name, chunks) => {
    let i = 0
    for (const c of chunks) await s.snap.put(key(gen, name, i++), c)
  })
}

async function writeParts (ix: InvertedIndex, put: Put): Promise<void> {
  ix.compact()
  const n = ix.size
  // Tag sets are numbered from 1 in the index (0: none) and from 0 here (-1: none).
  const tagIdx = new Int32Array(n)
  for (let d = 0; d < n; d++) tagIdx[d] = ix.tagIdx[d] - 1
  const head = { size: n, live: ix.live, totalLength: ix.totalLength, fwdLength: ix.fwd.length, tags: ix.tagTable.slice(1), roles: ix.roleNames, capsules: ix.capsuleNames, terms: ix.termNames.length, postings: ix.postings.size }
  await put('head', [new TextEncoder().encode(JSON.stringify(head))])
  await put('cids', stringsOf(ix.cids, n))
  await put('uris', stringsOf({ slice: (a: number, b: number) => { const out: Array<string | undefined> = []; for (let d = a; d < b; d++) out.push(ix.uri(d)); return out } }, n))
  await put('convs-names', stringsOf(ix.convNames, ix.convNames.length))
  await put('terms', stringsOf(ix.termNames, ix.termNames.length))
  await put('alive', bytesOf(ix.alive, n))
  await put('lengths', bytesOf(ix.lengths, n))
  await put('times', bytesOf(ix.times, n))
  await put('capsules', bytesOf(ix.capsules, n))
  await put('convs', bytesOf(ix.convs, n))
  await put('questions', bytesOf(ix.questions, n))
  await put('tagidx', bytesOf(tagIdx, n))
  await put('roleidx', bytesOf(ix.roleIdx, n))
  // The forward index's pages laid end to end, and its positions moved to match.
  const packed = ix.fwd.packer()
  await put('fwdstart', concat((function * () {
    const part = new Uint32Array(CHUNK / 4)
    for (let d = 0; d <= n; d += part.length) {
      const k = Math.min(part.length, n + 1 - d)
      for (let i = 0; i < k; i++) part[i] = packed(ix.fwdStart[d + i])
      yield part.subarray(0, k)
    }
  })(), Uint32Array))
  await put('fwd', concat(ix.fwd.chunks(), Uint8Array))
  // Postings: per list its term id, length, df and byte size; then all lists' coded bytes as the
  // index keeps them (varint pairs, see _postings.ts). Snapshots before these held the lists
  // decoded (`pdocs`, `ptfs`: three times the bytes); they still load.
  const lists = [...ix.postings]
  const meta = new Int32Array(lists.length * 4)
  lists.forEach(([t, p], i) => { meta[i * 4] = ix.termIds.get(t) as number; meta[i * 4 + 1] = p.length; meta[i * 4 + 2] = p.df; meta[i * 4 + 3] = p.size })
  await put('pmeta4', bytesOf(meta, meta.length))
  await put('pbytes', concat((function * () { for (const [, p] of lists) yield * p.pages() })(), Uint8Array))
}

/** Packs many small arrays into CHUNK-byte chunks. */
function * concat<T extends Int32Array | Uint32Array | Uint16Array | Uint8Array> (parts: Iterable<T>, Kind: { new (n: number): T, BYTES_PER_ELEMENT: number }): Generator<Uint8Array> {
  const per = CHUNK / Kind.BYTES_PER_ELEMENT
  let buf = new Kind(per)
  let o = 0
  let any = false
  for (const p of parts) {
    let i = 0
    while (i < p.length) {
      const take = Math.min(per - o, p.length - i)
      buf.set(p.subarray(i, i + take) as never, o)
      o += take; i += take
      if (o === per) { yield new Uint8Array(buf.buffer); any = true; buf = new Kind(per); o = 0 }
    }
  }
  if (o > 0 || !any) yield new Uint8Array(buf.buffer, 0, o * Kind.BYTES_PER_ELEMENT)
}

/**
 * Loads snapshot generation `gen` into an empty index, from its file in `dir` when given, else
 * from level; throws when a part is missing or malformed.
 */
export async function readSnapshot (s: Store, ix: InvertedIndex, gen: number, dir?: string): Promise<void> {
  const parts = new Map<string, Uint8Array[]>()
  const add = (name: string, i: number, v: Uint8Array): void => {
    const list = parts.get(name) ?? []
    if (list.length !== i) throw new Error(`snapshot part ${name} is missing chunk ${list.length}`)
    list.push(v)
    parts.set(name, list)
  }
  if (dir !== undefined) {
    await readSnapshotFile(dir, gen, add)
  } else {
    const it = s.snap.iterator({ gte: prefix(gen), lt: prefix(gen + 1) })
    try {
      for (let batch = await it.nextv(READ_BATCH); batch.length > 0; batch = await it.nextv(READ_BATCH)) {
        for (const [k, v] of batch as Array<[string, Uint8Array]>) {
          const rest = k.slice(prefix(gen).length)
          add(rest.slice(0, rest.lastIndexOf('!')), Number(rest.slice(rest.lastIndexOf('!') + 1)), v)
        }
      }
    } finally {
      await it.close()
    }
  }
  const take = (name: string): Uint8Array[] => {
    const p = parts.get(name)
    if (p === undefined) throw new Error(`snapshot part ${name} is missing`)
    return p
  }
  const bytes = (name: string): ArrayBuffer => {
    const chunks = take(name)
    const total = chunks.reduce((a, c) => a + c.byteLength, 0)
    const out = new Uint8Array(total)
    let o = 0
    for (const c of chunks) { out.set(c, o); o += c.byteLength }
    parts.delete(name)
    return out.buffer
  }
  const dec = new TextDecoder()
  const strings = (name: string): Array<string | null> => {
    const out: Array<string | null> = []
    for (const c of take(name)) for (const v of JSON.parse(dec.decode(c)) as Array<string | null>) out.push(v)
    parts.delete(name)
    return out
  }
  const head = JSON.parse(dec.decode(take('head')[0])) as { size: number, live: number, totalLength: number, fwdLength: number, tags: Array<Record<string, string>>, roles: string[], capsules: string[], terms: number, postings: number }
  const n = head.size
  const sized = <T extends { length: number }>(name: string, a: T, want: number): T => {
    if (a.length !== want) throw new Error(`snapshot part ${name} has ${a.length} entries, expected ${want}`)
    return a
  }
  ix.grow(n + 1)
  ix.alive.set(sized('alive', new Uint8Array(bytes('alive')), n))
  ix.lengths.set(sized('lengths', new Float32Array(bytes('lengths')), n))
  ix.times.set(sized('times', new Float64Array(bytes('times')), n))
  ix.capsules.set(sized('capsules', new Int32Array(bytes('capsules')), n))
  ix.convs.set(sized('convs', new Int32Array(bytes('convs')), n))
  ix.questions.set(sized('questions', new Uint8Array(bytes('questions')), n))
  const fwdStart = sized('fwdstart', new Uint32Array(bytes('fwdstart')), n + 1)
  for (let d = 0; d < n; d++) if (fwdStart[d] > fwdStart[d + 1]) throw new Error('snapshot forward index positions are out of order')
  if (fwdStart[n] !== head.fwdLength) throw new Error('snapshot forward index positions do not match its bytes')
  ix.fwdStart.set(fwdStart)
  ix.fwd = new PagedBytes()
  ix.fwd.append(sized('fwd', new Uint8Array(bytes('fwd')), head.fwdLength), head.fwdLength)
  ix.cids = sized('cids', strings('cids'), n) as string[]
  for (const u of sized('uris', strings('uris'), n)) ix.uris.push(u)
  ix.convNames = strings('convs-names') as string[]
  ix.termNames = sized('terms', strings('terms'), head.terms) as string[]
  ix.capsuleNames = head.capsules
  const tagIdx = sized('tagidx', new Int32Array(bytes('tagidx')), n)
  const roleIdx = sized('roleidx', new Int32Array(bytes('roleidx')), n)
  ix.tagTable = [ix.tagTable[0], ...head.tags]
  for (let d = 0; d < n; d++) {
    if (tagIdx[d] >= head.tags.length || roleIdx[d] >= head.roles.length) throw new Error('snapshot names an unknown tag set or role')
    ix.tagIdx[d] = tagIdx[d] + 1
  }
  ix.roleIdx.set(roleIdx)
  ix.roleNames = head.roles
  if (parts.has('pmeta4')) {
    const meta = sized('pmeta4', new Int32Array(bytes('pmeta4')), head.postings * 4)
    const total = meta.reduce((a, v, i) => i % 4 === 3 ? a + v : a, 0)
    const all = sized('pbytes', new Uint8Array(bytes('pbytes')), total)
    let o = 0
    for (let i = 0; i < head.postings; i++) {
      const term = ix.termNames[meta[i * 4]]
      if (term === undefined) throw new Error('snapshot postings name an unknown term')
      const size = meta[i * 4 + 3]
      ix.postings.set(term, Postings.ofBytes(ix.decoder, all.subarray(o, o + size), meta[i * 4 + 1], meta[i * 4 + 2]))
      o += size
    }
  } else {
    // An older snapshot: the lists decoded.
    const meta = sized('pmeta', new Int32Array(bytes('pmeta')), head.postings * 3)
    const total = meta.reduce((a, v, i) => i % 3 === 1 ? a + v : a, 0)
    const docs = sized('pdocs', new Int32Array(bytes('pdocs')), total)
    const tfs = sized('ptfs', new Uint16Array(bytes('ptfs')), total)
    let o = 0
    for (let i = 0; i < head.postings; i++) {
      const len = meta[i * 3 + 1]
      const term = ix.termNames[meta[i * 3]]
      if (term === undefined) throw new Error('snapshot postings name an unknown term')
      ix.postings.set(term, Postings.of(ix.decoder, docs.subarray(o, o + len), tfs.subarray(o, o + len), len, meta[i * 3 + 2]))
      o += len
    }
  }
  ix.restore(n, head.live, head.totalLength)
}

/** Deletes every snapshot generation but `keep` (a file in `dir` when `inDir`, else in level), in level and in `dir`. */
export async function dropOtherSnapshots (s: Store, keep: number | undefined, dir?: string, inDir = false): Promise<void> {
  if (dir !== undefined) await dropOtherSnapshotFiles(dir, inDir ? keep : undefined)
  if (keep === undefined || inDir) { await s.snap.clear(); return }
  await s.snap.clear({ lt: prefix(keep) })
  await s.snap.clear({ gte: prefix(keep + 1) })
}
