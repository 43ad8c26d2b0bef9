import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Level } from 'level'
import { createSearchIndex, type SearchHit, type SearchIndex } from '../../../node/context/index.js'
import { corpus, doc } from './_fixtures.js'

const QUERIES = ['dog puppy', 'paella domingos', '咖啡', '🎉', 'budget spreadsheet', 'running', 'cafe']
let dir: string
let db: Level<string, unknown>
const opened: SearchIndex[] = []

function make (): SearchIndex {
  const ix = createSearchIndex({ db: db.sublevel('search') })
  opened.push(ix)
  return ix
}
async function results (ix: SearchIndex): Promise<Array<Array<Omit<SearchHit, 'snippet'> & { snippet: string }>>> {
  const out = []
  for (const q of QUERIES) out.push((await ix.search(q, { topK: 5 })).map(h => ({ ...h })))
  return out
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vivim-context-'))
  db = new Level<string, unknown>(dir)
  await db.open()
})
afterEach(async () => {
  for (const ix of opened.splice(0)) await ix.close()
  await db.close()
  await rm(dir, { recursive: true, force: true })
})

describe('persistence', () => {
  it('gives identical results after close and reopen', async () => {
    const a = make()
    await a.open()
    await a.add(corpus(), { mark: 'heads-1' })
    await a.remove(['c7'])
    const before = await results(a)
    await a.close()
    const b = make()
    await b.open()
    expect(await results(b)).toEqual(before)
    expect(b.status()).toMatchObject({ state: 'ready', docs: 7, mark: 'heads-1' })
  })

  it('is rebuilt from docs with identical results after its level data is deleted', async () => {
    const a = make()
    await a.open()
    await a.add(corpus())
    const before = await results(a)
    await a.close()
    await db.sublevel('search').clear()
    const b = make()
    await b.open()
    expect(b.status()).toMatchObject({ state: 'ready', docs: 0 })
    expect(await b.search('dog')).toEqual([])
    async function * frames (): AsyncGenerator<ReturnType<typeof doc>> { yield * corpus() }
    await b.rebuild(frames(), { mark: 'heads-2' })
    expect(await results(b)).toEqual(before)
    await b.close()
    const c = make()
    await c.open()
    expect(await results(c)).toEqual(before)
    expect(c.status().mark).toBe('heads-2')
  })

  it('reports a partly lost index as stale instead of answering from it', async () => {
    const a = make()
    await a.open()
    await a.add(corpus())
    await a.close()
    await db.sublevel('search').sublevel('docs', { valueEncoding: 'json' }).del('c1')
    const b = make()
    await b.open()
    expect(await b.loaded()).toMatchObject({ state: 'stale', reason: expect.any(String) })
    await expect(b.search('dog')).rejects.toHaveProperty('name', 'IndexStaleError')
    await b.rebuild(corpus())
    expect((await b.search('golden retriever'))[0].cid).toBe('c1')
  })

  it('reports an index of another format version as stale', async () => {
    const a = make()
    await a.open()
    await a.add(corpus())
    await a.close()
    const meta = db.sublevel('search').sublevel<string, Record<string, unknown>>('meta', { valueEncoding: 'json' })
    await meta.put('info', { ...(await meta.get('info')), format: 999 })
    const b = make()
    await b.open()
    await expect(b.add([doc('x', 'x')])).rejects.toHaveProperty('name', 'IndexStaleError')
  })

  it('reports an unfinished rebuild as stale', async () => {
    const a = make()
    await a.open()
    async function * failing (): AsyncGenerator<ReturnType<typeof doc>> { yield * corpus(); throw new Error('disk gone') }
    await expect(a.rebuild(failing())).rejects.toThrow('disk gone')
    await a.close()
    const b = make()
    await b.open()
    expect(b.status().state).toBe('stale')
  })

  it('two indexes in one process keep their own state', async () => {
    const a = createSearchIndex()
    const b = createSearchIndex()
    opened.push(a, b)
    await a.open()
    await b.open()
    await a.add([doc('only-a', 'walrus')])
    expect(await b.search('walrus')).toEqual([])
    expect((await a.search('walrus')).length).toBe(1)
  })
})

describe('texts kept elsewhere', () => {
  // A node keeps texts in its frames: the index persists docs without them and asks for them.
  const kept = new Map(corpus().map(d => [d.cid, d.text]))
  let asked: string[] = []
  const texts = async (docs: Array<{ cid: string, capsule: string }>): Promise<Array<string | undefined>> => {
    asked.push(...docs.map(d => d.cid))
    return docs.map(d => kept.get(d.cid))
  }
  function makeWith (): SearchIndex {
    const ix = createSearchIndex({ db: db.sublevel('search'), texts })
    opened.push(ix)
    return ix
  }
  const stored = async (cid: string): Promise<Record<string, any>> => await db.sublevel('search').sublevel<string, any>('docs', { valueEncoding: 'json' }).get(cid)

  it('persists docs without their texts and gives the same hits, snippets and question turns, also after a crash', async () => {
    const plain = make()
    await plain.open()
    await plain.add(corpus())
    const want = await results(plain)
    const wantGet = await plain.get('c2')
    await plain.rebuild([])
    await plain.close()
    opened.splice(opened.indexOf(plain), 1)

    const a = makeWith()
    await a.open()
    await a.add(corpus())
    for (const d of corpus()) {
      const s = await stored(d.cid)
      expect(s.d.text).toBeUndefined()
      expect(s.q).toBe(/[?？¿]/.test(d.text) ? 1 : 0)
    }
    expect(await results(a)).toEqual(want)
    expect(asked.length).toBeGreaterThan(0)
    expect(await a.get('c2')).toEqual(wantGet)
    // Reopened from the write log alone (the first instance never closed): the question turns
    // come from the stored flags, not from texts.
    opened.splice(opened.indexOf(a), 1)
    const b = makeWith()
    await b.open()
    expect(await b.loaded()).toMatchObject({ state: 'ready' })
    expect(await results(b)).toEqual(want)
  })

  it('reads docs persisted with their texts as they are, and gives an empty text for one no longer kept', async () => {
    const a = make()
    await a.open()
    await a.add(corpus())
    await a.close()
    asked = []
    const b = makeWith()
    await b.open()
    expect((await b.get('c1'))?.text).toBe(kept.get('c1'))
    expect(asked).toEqual([])
    await b.add([doc('gone', 'a walrus note')])
    expect((await b.search('walrus'))[0]).toMatchObject({ cid: 'gone', text: '' })
    expect(asked).toEqual(['gone'])
  })
})

describe('consistency', () => {
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vivim-context-'))
    db = new Level<string, unknown>(dir)
    await db.open()
  })
  afterEach(async () => {
    for (const ix of opened.splice(0)) await ix.close()
    await db.close()
    await rm(dir, { recursive: true, force: true })
  })

  it('keeps an exact count with repeated CIDs in one batch', async () => {
    const a = make()
    await a.open()
    await a.add([doc('r', 'first version'), doc('r', 'second version')])
    await a.remove(['r', 'r', 'nope'])
    await a.add([doc('s', 'kept')])
    await a.close()
    const b = make()
    await b.open()
    expect((await b.search('kept')).map(h => h.cid)).toEqual(['s'])
    expect(b.status()).toMatchObject({ state: 'ready', docs: 1 })
  })

  it('makes searches wait for a running rebuild instead of answering from half an index', async () => {
    const a = make()
    await a.open()
    let release!: () => void
    const gate = new Promise<void>(resolve => { release = resolve })
    async function * slow (): AsyncGenerator<ReturnType<typeof doc>> {
      yield doc('g1', 'giraffe one')
      await gate
      yield doc('g2', 'giraffe two')
    }
    const rebuilding = a.rebuild(slow())
    await new Promise(resolve => setTimeout(resolve, 20))
    const searching = a.search('giraffe')
    release()
    await rebuilding
    expect((await searching).map(h => h.cid).sort()).toEqual(['g1', 'g2'])
  })
})
