import { afterEach, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { createSearchIndex, type IndexedDoc, type SearchIndex, type SearchOptions } from '../../../node/context/index.js'
import { corpus, doc } from './_fixtures.js'

const open: SearchIndex[] = []
async function index (docs: IndexedDoc[] = corpus()): Promise<SearchIndex> {
  const ix = createSearchIndex()
  open.push(ix)
  await ix.open()
  await ix.add(docs)
  return ix
}
afterEach(async () => { for (const ix of open.splice(0)) await ix.close() })

describe('search', () => {
  it('finds a doc on the next search after add resolves', async () => {
    const ix = await index()
    expect(await ix.search('zebra migration')).toEqual([])
    await ix.add([doc('new', 'The zebra migration crosses the Mara river in July.')])
    const hits = await ix.search('zebra migration')
    expect(hits.map(h => h.cid)).toEqual(['new'])
    expect(hits[0]).toMatchObject({ capsule: 'cap-a', tags: {}, text: expect.stringContaining('zebra') })
  })

  it('ranks the best match first and matches stems', async () => {
    const ix = await index()
    const hits = await ix.search('runner training for marathons')
    expect(hits[0].cid).toBe('c8')
  })

  it('answers a query in Spanish', async () => {
    const ix = await index()
    const hits = await ix.search('¿Qué cocinaba la abuela los domingos?')
    expect(hits[0].cid).toBe('c3')
  })

  it('answers a query in Chinese', async () => {
    const ix = await index()
    const hits = await ix.search('咖啡')
    expect(hits.map(h => h.cid)).toEqual(['c4'])
    expect((await ix.search('图书馆'))[0].cid).toBe('c4')
  })

  it('answers a query with emoji', async () => {
    const ix = await index()
    expect((await ix.search('🎉')).map(h => h.cid)).toEqual(['c5'])
    expect((await ix.search('🎂 party'))[0].cid).toBe('c5')
  })

  it('folds diacritics: "cafe creme" finds "Café crème"', async () => {
    const ix = await index()
    expect((await ix.search('cafe creme'))[0].cid).toBe('c7')
  })

  it('removes and replaces docs', async () => {
    const ix = await index()
    await ix.remove(['c8', 'unknown'])
    expect((await ix.search('marathon')).map(h => h.cid)).toEqual([])
    await ix.add([doc('c6', 'Budget meeting cancelled.', { tags: { topic: 'work' } })])
    const hits = await ix.search('budget')
    expect(hits.map(h => h.cid)).toEqual(['c6'])
    expect(hits[0].text).toBe('Budget meeting cancelled.')
    expect(ix.status().docs).toBe(7)
  })

  it('reads natural-language time in the user\'s time zone and drops the time words', async () => {
    const ix = await index([
      doc('may', 'dentist appointment', { time: Date.UTC(2023, 4, 10, 15) }),
      doc('june', 'dentist appointment again', { time: Date.UTC(2023, 5, 14, 2) }),
      doc('tue', 'dentist invoice paid', { time: Date.UTC(2023, 5, 13, 15) })
    ])
    const now = new Date('2023-06-15T12:00:00Z')
    const timeMode = 'filter'
    expect((await ix.search('dentist in May 2023', { now, timeZone: 'UTC', timeMode })).map(h => h.cid)).toEqual(['may'])
    // 2023-06-14T02:00Z is still June 13 in New York: "yesterday" (June 14) there excludes it.
    expect((await ix.search('dentist yesterday', { now, timeZone: 'UTC', timeMode })).map(h => h.cid)).toEqual(['june'])
    expect((await ix.search('dentist yesterday', { now, timeZone: 'America/New_York', timeMode })).map(h => h.cid)).toEqual([])
    expect((await ix.search('dentist last Tuesday', { now, timeZone: 'America/New_York', timeMode })).map(h => h.cid).sort()).toEqual(['june', 'tue'])
    expect((await ix.search('dentist in May 2023', { now, naturalTime: false, timeMode })).length).toBe(3)
  })

  it('by default boosts docs in (and just after) the time the query names, without dropping others', async () => {
    const ix = await index([
      doc('april', 'dentist appointment booked', { time: Date.UTC(2023, 3, 10) }),
      doc('may', 'dentist', { time: Date.UTC(2023, 4, 10) }),
      doc('early-june', 'dentist', { time: Date.UTC(2023, 5, 5) }),
      doc('august', 'dentist', { time: Date.UTC(2023, 7, 5) })
    ])
    const now = new Date('2023-09-01T00:00:00Z')
    const hits = (await ix.search('dentist in May 2023', { now, timeZone: 'UTC' })).map(h => h.cid)
    expect(hits.slice(0, 2).sort()).toEqual(['early-june', 'may'])
    expect(hits.sort()).toEqual(['april', 'august', 'early-june', 'may'])
  })

  it('lists the newest matching docs when the query is only time words', async () => {
    const ix = await index()
    const hits = await ix.search('in May 2023', { now: new Date('2023-08-01T00:00:00Z'), timeZone: 'UTC' })
    expect(hits.map(h => h.cid)).toEqual(['c5', 'c4', 'c3', 'c2', 'c1'])
  })

  it('snaps snippets to sentence boundaries around the matching terms', async () => {
    const long = Array.from({ length: 12 }, (_, i) => `Filler sentence number ${i} talks about nothing much at all.`).join(' ') +
      ' The octopus escaped from its tank overnight. ' + Array.from({ length: 12 }, (_, i) => `More filler ${i} follows here for a while.`).join(' ')
    const ix = await index([doc('long', long)])
    const [hit] = await ix.search('octopus tank')
    expect(hit.snippet).toContain('The octopus escaped from its tank overnight.')
    expect(hit.snippet.length).toBeLessThanOrEqual(240)
    expect(long.includes(hit.snippet)).toBe(true)
    expect(hit.snippet).toMatch(/^[A-Z].*\.$/)
  })

  it('gives the turns around a doc and the newest docs, filtered', async () => {
    const turns = Array.from({ length: 6 }, (_, i) => doc(`t${i}`, `turn ${i}`, { conversation: 'talk', time: 1000 * (6 - i), capsule: i % 2 === 0 ? 'even' : 'odd' }))
    const ix = await index(turns)
    // Conversation order is by time: t5 (oldest) … t0 (newest).
    expect((await ix.around('t3', 1, 2)).map(d => d.cid)).toEqual(['t4', 't2', 't1'])
    expect((await ix.around('missing', 1, 1))).toEqual([])
    expect((await ix.recent(3)).map(d => d.cid)).toEqual(['t2', 't1', 't0'])
    expect((await ix.recent(2, { capsule: 'odd' })).map(d => d.cid)).toEqual(['t3', 't1'])
  })

  it('checks its arguments', async () => {
    const ix = await index()
    await expect(ix.search('x', { topK: 0 })).rejects.toHaveProperty('name', 'RangeError')
    await expect(ix.search(42 as unknown as string)).rejects.toHaveProperty('name', 'TypeError')
    await expect(ix.add([{ cid: '' } as IndexedDoc])).rejects.toHaveProperty('name', 'TypeError')
    await ix.close()
    await expect(ix.search('x')).rejects.toHaveProperty('name', 'IndexClosedError')
    await ix.close() // twice is harmless
  })
})

describe('filters return exactly the right sets', () => {
  // Every doc holds the word "common", so the search matches all and only the filters decide.
  const caps = ['a', 'b', 'c']
  const docArb = fc.record({
    capsule: fc.constantFrom(...caps),
    topic: fc.constantFrom('x', 'y', 'z'),
    path: fc.constantFrom('vivim://p/1', 'vivim://p/2', 'vivim://q/1'),
    day: fc.integer({ min: 0, max: 30 })
  })
  const optArb = fc.record({
    capsule: fc.option(fc.oneof(fc.constantFrom(...caps), fc.subarray(caps)), { nil: undefined }),
    topic: fc.option(fc.constantFrom('x', 'y'), { nil: undefined }),
    uriPrefix: fc.option(fc.constantFrom('vivim://p/', 'vivim://q', 'vivim://p/2'), { nil: undefined }),
    since: fc.option(fc.integer({ min: 0, max: 30 }), { nil: undefined }),
    until: fc.option(fc.integer({ min: 0, max: 31 }), { nil: undefined }),
    odd: fc.boolean()
  })
  const day = (d: number): number => Date.UTC(2024, 0, 1) + d * 86_400_000

  it('matches a brute-force filter (property, fixed seed)', async () => {
    await fc.assert(fc.asyncProperty(fc.array(docArb, { minLength: 1, maxLength: 40 }), optArb, async (specs, o) => {
      const docs = specs.map((s, i) => doc(`d${i}`, `common word ${i}`, { capsule: s.capsule, tags: { topic: s.topic }, uri: s.path, time: day(s.day) }))
      const ix = createSearchIndex()
      await ix.open()
      await ix.add(docs)
      const opts: SearchOptions = { topK: 1000, naturalTime: false }
      if (o.capsule !== undefined) opts.capsule = o.capsule
      if (o.topic !== undefined) opts.tags = { topic: o.topic }
      if (o.uriPrefix !== undefined) opts.uriPrefix = o.uriPrefix
      if (o.since !== undefined) opts.since = new Date(day(o.since))
      if (o.until !== undefined) opts.until = day(o.until)
      if (o.odd) opts.allowed = (cid) => Number(cid.slice(1)) % 2 === 1
      const got = (await ix.search('common', opts)).map(h => h.cid).sort()
      const want = docs.filter(d => {
        const cs = o.capsule === undefined ? undefined : Array.isArray(o.capsule) ? o.capsule : [o.capsule]
        if (cs !== undefined && !cs.includes(d.capsule)) return false
        if (o.topic !== undefined && d.tags.topic !== o.topic) return false
        if (o.uriPrefix !== undefined && !(d.uri ?? '').startsWith(o.uriPrefix)) return false
        if (o.since !== undefined && d.time < day(o.since)) return false
        if (o.until !== undefined && d.time >= day(o.until)) return false
        if (o.odd && Number(d.cid.slice(1)) % 2 !== 1) return false
        return true
      }).map(d => d.cid).sort()
      await ix.close()
      expect(got).toEqual(want)
    }), { seed: 20240501, numRuns: 150 })
  })
})
