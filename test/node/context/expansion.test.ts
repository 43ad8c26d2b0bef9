import { afterEach, describe, expect, it } from 'vitest'
import { createSearchIndex, createTokenizer, type SearchIndex } from '../../../node/context/index.js'
import { Derivations, englishHyponyms } from '../../../node/context/expansion.js'
import { doc } from './_fixtures.js'

const open: SearchIndex[] = []
afterEach(async () => { for (const ix of open.splice(0)) await ix.close() })

const docs = [
  doc('clarinet', 'I play the clarinet in a small band on weekends.'),
  doc('chicago', 'Last month I was in Chicago, the locals were so friendly.'),
  doc('flan', 'I made a caramel flan for the picnic.'),
  doc('other', 'We talked about the weather and the new office chairs.')
]

async function index (hyponyms?: number, language?: 'english' | 'spanish'): Promise<SearchIndex> {
  const ix = createSearchIndex({ ranking: hyponyms === undefined ? undefined : { hyponyms }, language })
  open.push(ix)
  await ix.open()
  await ix.add(docs)
  return ix
}

describe('hyponym expansion (WordNet)', () => {
  it('knows narrower English nouns, stemmed like index terms', () => {
    const tok = createTokenizer('english')
    expect(englishHyponyms(tok.term('instrument') as string)).toContain(tok.term('clarinet'))
    expect(englishHyponyms(tok.term('city') as string)).toContain(tok.term('Chicago'))
    expect(englishHyponyms(tok.term('dessert') as string)).toContain(tok.term('flan'))
    expect(englishHyponyms('no-such-term')).toEqual([])
    expect(tok.narrower?.(tok.term('instruments') as string)).toContain(tok.term('clarinet'))
    expect(createTokenizer('spanish').narrower?.('instrument')).toEqual([])
  })

  it('finds turns naming a kind of what the query asks for', async () => {
    const ix = await index()
    expect((await ix.search('which instruments')).map(h => h.cid)).toEqual(['clarinet'])
    expect((await ix.search('cities visited')).map(h => h.cid)).toEqual(['chicago'])
    expect((await ix.search('desserts')).map(h => h.cid)).toEqual(['flan'])
  })

  it('ranks a turn with the query word itself above one with a narrower word', async () => {
    const ix = await index()
    await ix.add([doc('word', 'My favourite instrument is a gift from my aunt.')])
    const hits = await ix.search('instrument')
    expect(hits.map(h => h.cid)).toEqual(['word', 'clarinet'])
    expect(hits[0].score).toBeGreaterThan(hits[1].score)
  })

  it('is off with hyponyms: 0 and for other languages', async () => {
    expect(await (await index(0)).search('which instruments')).toEqual([])
    expect(await (await index(undefined, 'spanish')).search('instruments')).toEqual([])
  })
})

describe('word families stemming leaves apart', () => {
  const family = [
    doc('bought', 'I bought a red bike at the flea market.'),
    doc('children', 'The children loved the puppet show.'),
    doc('writer', 'She is a writer of short stories.'),
    doc('competition', 'Our team won the regional competition.'),
    doc('fam', 'Went camping with the fam last weekend.'),
    doc('other', 'We talked about the weather and the new office chairs.')
  ]

  async function familyIndex (ranking?: { inflections?: number, derivations?: number }, language?: 'english' | 'spanish'): Promise<SearchIndex> {
    const ix = createSearchIndex({ ranking: { hyponyms: 0, prfWeight: 0, ...ranking }, language })
    open.push(ix)
    await ix.open()
    await ix.add(family)
    return ix
  }

  it('knows the irregular forms of English words, stemmed like index terms', () => {
    const tok = createTokenizer('english')
    const forms = (w: string): readonly string[] => tok.inflections?.(tok.term(w) as string) ?? []
    expect(forms('buy')).toContain(tok.term('bought'))
    expect(forms('bought')).toContain(tok.term('buy'))
    expect(forms('children')).toContain(tok.term('child'))
    expect(forms('took')).toEqual(expect.arrayContaining([tok.term('take'), tok.term('taken')]))
    expect(forms('family')).toContain(tok.term('fam'))
    expect(forms('tourney')).toContain(tok.term('tournament'))
    expect(forms('table')).toEqual([])
    expect(createTokenizer('spanish').inflections?.('buy')).toEqual([])
  })

  it('finds a past tense or a plural for the base form the question uses, and back', async () => {
    const ix = await familyIndex()
    expect((await ix.search('What did she buy?')).map(h => h.cid)).toEqual(['bought'])
    expect((await ix.search('a child at the show')).map(h => h.cid)).toEqual(['children'])
    expect((await ix.search('Who wins?')).map(h => h.cid)).toEqual(['competition'])
    expect((await ix.search('her family')).map(h => h.cid)).toEqual(['fam'])
    const off = await familyIndex({ inflections: 0 })
    expect(await off.search('What did she buy?')).toEqual([])
    expect(await off.search('her family')).toEqual([])
  })

  it('finds words with another short ending (writer for write, competition for compete)', async () => {
    const ix = await familyIndex()
    expect((await ix.search('Does she write?')).map(h => h.cid)).toEqual(['writer'])
    expect((await ix.search('Did they compete?')).map(h => h.cid)).toEqual(['competition'])
    const off = await familyIndex({ derivations: 0 })
    expect(await off.search('Does she write?')).toEqual([])
  })

  it('ranks the query word itself above a family member', async () => {
    const ix = await familyIndex()
    await ix.add([doc('write', 'I write every morning before work.')])
    const hits = await ix.search('write')
    expect(hits.map(h => h.cid)).toEqual(['write', 'writer'])
    expect(hits[0].score).toBeGreaterThan(hits[1].score)
  })

  it('files new terms as they come and leaves short terms alone', () => {
    const dict = { termNames: ['writer'], termIds: new Map([['writer', 0]]) }
    const d = new Derivations(dict)
    expect(d.of('write')).toEqual(['writer'])
    dict.termNames.push('write', 'writers', 'art', 'arts')
    dict.termIds.set('write', 1).set('writers', 2).set('art', 3).set('arts', 4)
    expect(d.of('write').sort()).toEqual(['writer', 'writers'])
    expect(d.of('writer')).toEqual(['writers', 'write'])
    expect(d.of('art')).toEqual([])
  })
})
