import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Level } from 'level'
import { createSearchIndex, type IndexedDoc, type SearchIndex, type SearchOptions } from '../../../node/context/index.js'
import { InvertedIndex } from '../../../node/context/inverted-index.js'
import { createTokenizer } from '../../../node/context/tokenizer.js'
import { openStore } from '../../../node/context/_store.js'
import { readSnapshot, writeSnapshot } from '../../../node/context/_snapshot.js'
import { corpus, doc } from './_fixtures.js'
import { prng } from '../../_helpers.js'

// The persisted index is a snapshot of its in-memory arrays plus a log of the writes since;
// texts live in level and are read for hits. These tests reopen an index the way a crash would
// leave it (the first instance never closed) as well as after a clean close.

const QUERIES: Array<[string, SearchOptions]> = [
  ['dog puppy', {}], ['paella domingos', {}], ['咖啡', {}], ['🎉', {}], ['budget spreadsheet', {}], ['running', {}], ['cafe', {}],
  ['dog', { tags: { topic: 'pets' } }], ['running', { uriPrefix: 'vivim://notes/' }], ['running', { capsule: 'cap-c' }],
  ['party', { allowed: (cid: string) => cid !== 'c5' }], ['what dog', { topK: 3 }]
]
let dir: string
let db: Level<string, unknown>
const opened: SearchIndex[] = []

function make (): SearchIndex {
  const ix = createSearchIndex({ db: db.sublevel('search') })
  opened.push(ix)
  return ix
}
/** Forgets an instance without closing it, as a crash would (its close would write a snapshot). */
function crash (ix: SearchIndex): void { opened.splice(opened.indexOf(ix), 1) }
async function state (ix: SearchIndex): Promise<unknown> {
  const out: unknown[] = []
  for (const [q, o] of QUERIES) out.push((await ix.search(q, o)).map(h => ({ ...h })))
  out.push(await ix.recent(4), await ix.around('c2', 2, 2), await ix.get('c3'), await ix.get('c7'), ix.status().docs)
  return out
}
const snap = () => db.sublevel('search').sublevel<string, Uint8Array>('snap', { valueEncoding: 'view' }) // eslint-disable-line @typescript-eslint/explicit-function-return-type
const meta = () => db.sublevel('search').sublevel<string, unknown>('meta', { valueEncoding: 'json' }) // eslint-disable-line @typescript-eslint/explicit-function-return-type

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vivim-context-snap-'))
  db = new Level<string, unknown>(dir)
  await db.open()
})
afterEach(async () => {
  for (const ix of opened.splice(0)) await ix.close().catch(() => {})
  await db.close()
  await rm(dir, { recursive: true, force: true })
})

describe('snapshot and write log', () => {
  it('reopens from a snapshot plus the writes logged after it, as if it crashed before close', async () => {
    const a = make()
    await a.open()
    await a.add(corpus(), { mark: 'm1' })
    await a.close()
    const keys = await snap().keys().all()
    expect(keys.length).toBeGreaterThan(5)
    // Writes after the snapshot: an add, a replace, a remove of a snapshot doc; then no close.
    const b = make()
    await b.open()
    await b.add([doc('n1', 'A new note about the dog park and puppies', { conversation: 'chat-1', time: Date.UTC(2023, 4, 1, 13), role: 'Ana', uri: 'vivim://chat/1/3' })])
    await b.add([doc('c3', 'Mi abuela ya no cocina paella; ahora hace tortilla los domingos.', { tags: { lang: 'es' }, uri: 'vivim://notes/food/1' })], { mark: 'm2' })
    await b.remove(['c7'], { mark: 'm3' })
    const expected = await state(b)
    crash(b)
    const c = make()
    await c.open()
    expect(await state(c)).toEqual(expected)
    expect(c.status()).toMatchObject({ state: 'ready', docs: 8, mark: 'm3' })
    expect((await c.get('c3'))?.text).toContain('tortilla')
    expect(await c.get('c7')).toBeUndefined()
  })

  it('removes a doc loaded from a snapshot, and the removal survives the next reopen', async () => {
    const a = make()
    await a.open()
    await a.add(corpus())
    await a.close()
    const b = make()
    await b.open()
    expect((await b.search('golden retriever'))[0].cid).toBe('c1')
    await b.remove(['c1', 'c2'])
    expect((await b.search('golden retriever puppy')).map(h => h.cid)).not.toContain('c1')
    expect(await b.around('c2', 1, 1)).toEqual([])
    expect(await b.get('c1')).toBeUndefined()
    const expected = await state(b)
    await b.close()
    const c = make()
    await c.open()
    expect(await state(c)).toEqual(expected)
    expect(c.status().docs).toBe(6)
    // And the freed CID can come back.
    await c.add([doc('c1', 'The golden retriever is back')])
    expect((await c.search('golden retriever'))[0]).toMatchObject({ cid: 'c1', text: 'The golden retriever is back' })
  })

  it('gives identical results through many snapshots and logs in turn', async () => {
    let ix = make()
    await ix.open()
    const all = corpus()
    let expected: unknown
    for (let round = 0; round < 4; round++) {
      await ix.add(all.slice(round * 2, round * 2 + 2).map(d => ({ ...d, text: `${d.text} round${round}` })))
      if (round > 0) await ix.remove([all[round * 2 - 1].cid])
      expected = await state(ix)
      if (round % 2 === 0) await ix.close(); else crash(ix) // a snapshot, or a crash: the log is replayed
      ix = make()
      await ix.open()
      expect(await state(ix)).toEqual(expected)
    }
  })

  it('keeps the previous snapshot in force when a crash interrupted writing the next one', async () => {
    const a = make()
    await a.open()
    await a.add(corpus())
    await a.close()
    const { snap: current } = await meta().get('info') as { snap: { gen: number } }
    const b = make()
    await b.open()
    await b.add([doc('n1', 'walrus on the beach')])
    const expected = await state(b)
    crash(b)
    // Half of the next generation was written, and meta/info never pointed at it.
    const next = String(current.gen + 1).padStart(8, '0')
    await snap().put(`${next}!head!000000`, new TextEncoder().encode('{"size":'))
    await snap().put(`${next}!cids!000000`, new Uint8Array([1, 2, 3]))
    const c = make()
    await c.open()
    expect(await state(c)).toEqual(expected)
    expect((await c.search('walrus'))[0].cid).toBe('n1')
    await c.close() // writes that generation properly this time
    const d = make()
    await d.open()
    expect(await state(d)).toEqual(expected)
  })

  it('reports a damaged snapshot or a gap in the log as stale, and rebuilds', async () => {
    const a = make()
    await a.open()
    await a.add(corpus())
    await a.close()
    const key = (await snap().keys().all()).find(k => k.includes('!pbytes!')) as string
    await snap().del(key)
    const b = make()
    await b.open()
    expect(await b.loaded()).toMatchObject({ state: 'stale', reason: expect.stringContaining('pbytes') })
    await expect(b.search('dog')).rejects.toHaveProperty('name', 'IndexStaleError')
    await b.rebuild(corpus())
    expect((await b.search('golden retriever'))[0].cid).toBe('c1')
    // A log entry lost in the middle.
    await b.add([doc('x1', 'first extra')])
    await b.add([doc('x2', 'second extra')])
    await b.add([doc('x3', 'third extra')])
    const info = await meta().get('info') as { seq: number }
    const log = db.sublevel('search').sublevel('log', { valueEncoding: 'json' })
    await log.del(String(info.seq - 2).padStart(12, '0'))
    const c = make()
    await c.open()
    expect(await c.loaded()).toMatchObject({ state: 'stale', reason: expect.stringContaining('log') })
  })

  it('reports an index persisted in the older layout (every doc, no snapshot) as stale', async () => {
    const a = make()
    await a.open()
    await a.add(corpus())
    await a.close()
    const info = await meta().get('info') as Record<string, unknown>
    delete info.layout
    await meta().put('info', info)
    const b = make()
    await b.open()
    expect(await b.loaded()).toMatchObject({ state: 'stale', reason: expect.stringContaining('layout') })
  })

  it('finds a doc whose stored text vanished and turns stale instead of answering without it', async () => {
    const a = make()
    await a.open()
    await a.add(corpus())
    await db.sublevel('search').sublevel('docs', { valueEncoding: 'json' }).del('c6')
    await expect(a.search('budget spreadsheet')).rejects.toHaveProperty('name', 'IndexStaleError')
    expect(a.status()).toMatchObject({ state: 'stale', reason: expect.stringContaining('c6') })
  })

  it('writes a snapshot by itself once enough docs were logged and writes pause', async () => {
    const a = make()
    await a.open()
    const docs: IndexedDoc[] = []
    for (let i = 0; i < 20_500; i++) docs.push(doc(`b${i}`, `bulk doc number ${i % 97} about topic ${i % 13}`, { conversation: `conv-${i % 50}`, time: i }))
    for (let i = 0; i < docs.length; i += 2500) await a.add(docs.slice(i, i + 2500))
    await a.add([doc('late', 'a late walrus')])
    const expected = await state(a)
    let info = await meta().get('info') as { snap?: { gen: number, seq: number }, seq: number }
    for (let i = 0; i < 100 && info.snap === undefined; i++) {
      await new Promise(resolve => setTimeout(resolve, 100))
      info = await meta().get('info') as typeof info
    }
    // The snapshot runs in the write queue: a later write waits for it.
    await a.remove(['nope'])
    expect(info.snap).toBeDefined()
    expect(info.snap?.seq).toBe(info.seq)
    crash(a)
    const b = make() // the first one never closed
    await b.open()
    expect(await state(b)).toEqual(expected)
    expect(b.status().docs).toBe(20_501)
    expect((await b.around('b100', 1, 1)).map(d => d.cid)).toEqual(['b50', 'b150'])
  })
})

/**
 * Rewrites a snapshot's posting lists in the layout snapshots had before they kept the coded
 * bytes: `pmeta` (term id, length, df) and the lists decoded into `pdocs` and `ptfs`.
 */
async function toDecodedPostings (): Promise<void> {
  const all = await snap().iterator().all()
  const part = (name: string): Uint8Array => Buffer.concat(all.filter(([k]) => k.split('!')[1] === name).map(([, v]) => v))
  const gen = all[0][0].split('!')[0]
  const m = part('pmeta4')
  const meta = new Int32Array(m.buffer, m.byteOffset, m.byteLength / 4)
  const bytes = part('pbytes')
  const lists = meta.length / 4
  const meta3 = new Int32Array(lists * 3)
  const docs: number[] = []
  const tfs: number[] = []
  let o = 0
  for (let i = 0; i < lists; i++) {
    meta3.set([meta[i * 4], meta[i * 4 + 1], meta[i * 4 + 2]], i * 3)
    let doc = -1
    const varint = (): number => { let v = 0; let x; let shift = 0; do { x = bytes[o++]; v += (x & 0x7f) * 2 ** shift; shift += 7 } while (x >= 0x80); return v }
    for (let k = 0; k < meta[i * 4 + 1]; k++) { doc += varint(); docs.push(doc); tfs.push(varint()) }
  }
  for (const [k] of all) if (/!(pmeta4|pbytes)!/.test(k)) await snap().del(k)
  const raw = (a: Int32Array | Uint16Array): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength)
  await snap().put(`${gen}!pmeta!000000`, raw(meta3))
  await snap().put(`${gen}!pdocs!000000`, raw(Int32Array.from(docs)))
  await snap().put(`${gen}!ptfs!000000`, raw(Uint16Array.from(tfs)))
}

/**
 * Rewrites a snapshot's tag sets as the versions before 0-for-none numbered them: the table holds
 * the empty set like any other (first here) and every doc names an entry (none: the empty one).
 */
async function toOldTagNumbers (): Promise<void> {
  const all = await snap().iterator().all()
  const gen = all[0][0].split('!')[0]
  const headKey = all.find(([k]) => k.split('!')[1] === 'head')?.[0] as string
  const head = JSON.parse(Buffer.from(all.find(([k]) => k === headKey)?.[1] as Uint8Array).toString()) as { tags: unknown[] }
  head.tags = [{}, ...head.tags]
  const t = Buffer.concat(all.filter(([k]) => k.split('!')[1] === 'tagidx').map(([, v]) => v))
  const idx = Int32Array.from(new Int32Array(t.buffer, t.byteOffset, t.byteLength / 4), v => v + 1)
  expect(idx.some(v => v === 0) && idx.some(v => v > 0)).toBe(true)
  for (const [k] of all) if (/!tagidx!/.test(k)) await snap().del(k)
  await snap().put(`${gen}!tagidx!000000`, new Uint8Array(idx.buffer))
  await snap().put(headKey, new TextEncoder().encode(JSON.stringify(head)))
}

describe('snapshot of older layouts', () => {
  /** Indexes the corpus and closes (a snapshot), rewrites that snapshot, reopens: it loads, in the same state. */
  async function reopenedAfter (rewrite: () => Promise<void>): Promise<SearchIndex> {
    const a = make()
    await a.open()
    await a.add(corpus())
    const expected = await state(a)
    await a.close()
    await rewrite()
    const b = make()
    await b.open()
    expect(await b.loaded()).toMatchObject({ state: 'ready' })
    expect(await state(b)).toEqual(expected)
    return b
  }

  it('loads a snapshot whose tag sets are numbered as before (the empty set an entry of the table)', async () => {
    const b = await reopenedAfter(toOldTagNumbers)
    await b.add([doc('n1', 'a new dog note', { tags: { topic: 'pets' } })])
    expect((await b.search('dog', { tags: { topic: 'pets' } })).map(h => h.cid)).toContain('n1')
    await b.close()
    // written again in the current numbering, it loads the same
    const c = make()
    await c.open()
    expect(await c.loaded()).toMatchObject({ state: 'ready' })
    expect((await c.search('dog', { tags: { topic: 'pets' } })).map(h => h.cid)).toContain('n1')
    expect((await c.search('dog', {})).length).toBeGreaterThan(1)
  })

  it('loads a snapshot whose posting lists are stored decoded (pdocs, ptfs), and keeps writing', async () => {
    const b = await reopenedAfter(async () => {
      await toDecodedPostings()
      expect((await snap().keys().all()).some(k => k.includes('!pdocs!'))).toBe(true)
    })
    await b.add([doc('n1', 'a new dog note', {})])
    expect((await b.search('dog')).map(h => h.cid)).toContain('n1')
  })
})

describe('snapshot of the in-memory index', () => {
  function view (ix: InvertedIndex): unknown {
    const n = ix.size
    const docs = Array.from({ length: n }, (_, d) => ({
      cid: ix.cids[d], uri: ix.uri(d), tags: ix.tagsOf(d), role: ix.roleOf(d), alive: ix.alive[d], length: ix.lengths[d], time: ix.times[d],
      capsule: ix.capsuleNames[ix.capsules[d]], conv: ix.convs[d] < 0 ? null : ix.convNames[ix.convs[d]], question: ix.questions[d],
      terms: ix.docTerms(d), neighbours: ix.neighbours(d)
    }))
    const postings = [...ix.postings].map(([t, p]) => [t, [...p.docs.subarray(0, p.length)], [...p.tfs.subarray(0, p.length)], p.df]).sort()
    // Conversations as documents: their lengths and how many hold a live doc.
    const convs = { lengths: ix.convNames.map((_, c) => ix.convLengths[c] ?? 0), live: ix.liveConvs, total: ix.convTotalLength }
    return { n, live: ix.live, totalLength: ix.totalLength, docs, postings, roles: [...ix.roleTerms].sort(), byCid: [...ix.byCid].sort(), convs }
  }

  it('restores an index whose forward index, URIs and posting lists span many pages', async () => {
    const tokenizer = createTokenizer('english')
    const a = new InvertedIndex(tokenizer)
    const r = prng(21)
    const word = (): string => `w${Math.floor(r() * r() * 3000).toString(36)}q`
    for (let i = 0; i < 3000; i++) {
      const text = `everywhere ${Array.from({ length: 150 + Math.floor(r() * 100) }, word).join(' ')}`
      a.add(doc(`d${i}`, text, { uri: `chatgpt://conversation/${'u'.repeat(Math.floor(r() * 2000))}/${i}`, conversation: `c${i % 40}`, time: Date.UTC(2024, 0, 1) + i * 60_000 }))
      if (i % 97 === 5) a.remove(`d${i - 3}`)
    }
    expect(a.fwd.length).toBeGreaterThan(1 << 20)
    expect([...a.postings.values()].some(p => p.full !== undefined && p.full.length >= 2)).toBe(true)
    const store = openStore(db.sublevel('raw') as never)
    await writeSnapshot(store, a, 3)
    const b = new InvertedIndex(tokenizer)
    await readSnapshot(store, b, 3)
    expect(view(b)).toEqual(view(a))
    for (let n = 0; n < a.size; n++) expect(b.uri(n)).toBe(a.uri(n))
    const more = Array.from({ length: 300 }, (_, i) => doc(`d${3000 + i}`, Array.from({ length: 200 }, word).join(' '), { uri: `x://${i}` }))
    for (const ix of [a, b]) for (const d of more) ix.add(d)
    expect(view(b)).toEqual(view(a))
  })

  it('restores every array, list and map of the index exactly', async () => {
    const tokenizer = createTokenizer('english')
    const a = new InvertedIndex(tokenizer)
    for (const d of corpus()) a.add(d)
    a.add(doc('q1', 'Where did Ana take Biscuit?', { conversation: 'chat-1', role: 'Ben', time: Date.UTC(2023, 4, 1, 12, 5) }))
    a.add(doc('c5', 'Birthday party moved to Friday 🎉', { capsule: 'cap-b', tags: { topic: 'party' } }))
    a.remove('c3')
    // The forward index gives back each doc's analysed terms (pseudo-relevance feedback reads them).
    for (const d of corpus().filter(d => d.cid !== 'c3' && d.cid !== 'c5')) {
      const want = a.analyze(d)
      const got = a.terms[a.byCid.get(d.cid) as number]
      const pairs = (t: { terms: string[], tfs: number[] }): string[] => t.terms.map((x, i) => `${x}:${t.tfs[i]}`).sort()
      expect(got && pairs(got)).toEqual(pairs(want))
      expect(got?.length).toBe(want.length)
    }
    const store = openStore(db.sublevel('raw') as never)
    await writeSnapshot(store, a, 7)
    const b = new InvertedIndex(tokenizer)
    await readSnapshot(store, b, 7)
    expect(view(b)).toEqual(view(a))
    // Both keep working the same way afterwards.
    for (const ix of [a, b]) { ix.add(doc('z', 'zebra crossing', { conversation: 'chat-1' })); ix.remove('c1') }
    expect(view(b)).toEqual(view(a))
    // A conversation's length is its live docs' lengths summed.
    const c1 = b.convIds.get('chat-1') as number
    expect(b.convLengths[c1]).toBe(b.convDocs[c1].reduce((x, n) => x + b.lengths[n], 0))
    expect(b.liveConvs).toBe(b.convDocs.filter(l => l.length > 0).length)
  })
})
