import { afterEach, describe, expect, it } from 'vitest'
import { createSearchIndex, createTokenizer, type SearchIndex } from '../../../node/context/index.js'
import { englishHyponyms } from '../../../node/context/expansion.js'
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
