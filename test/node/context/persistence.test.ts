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
