import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { assembleContext, createSearchIndex, indexSources, LAYER_NAMES, o200kCounter, type ContextSources, type IndexedDoc, type MemoryUnit } from '../../../node/context/index.js'
import { corpus, doc } from './_fixtures.js'

const counter = await o200kCounter()

/** Sources over fixed content, so the property test can vary everything. */
function fixedSources (docs: IndexedDoc[], units: MemoryUnit[], identity: string[]): ContextSources {
  const ix = createSearchIndex()
  const ready = ix.open().then(async () => { await ix.add(docs) })
  return {
    search: async (q, o) => { await ready; return await ix.search(q, o) },
    recent: async (n) => { await ready; return await ix.recent(n) },
    identity: async () => identity.map((text, i) => ({ text, cid: `id-${i}` })),
    units: async (type) => units.filter(u => u.type === type),
    around: async (cid, b, a) => { await ready; return await ix.around(cid, b, a) }
  }
}

const wordArb = fc.constantFrom('garden', 'tomato', 'python', 'budget', 'Lisbon', 'violin', 'marathon', '咖啡', '🎉', 'déjà', 'the', 'and', 'review', 'sister', 'deadline')
const textArb = fc.array(wordArb, { minLength: 1, maxLength: 120 }).map(ws => ws.join(' '))

describe('assembleContext', () => {
  it('never exceeds the budget, and keeps every layer within its bounds (property, fixed seed)', async () => {
    await fc.assert(fc.asyncProperty(
      fc.array(textArb, { minLength: 0, maxLength: 25 }),
      fc.array(fc.record({ type: fc.constantFrom('preference', 'project', 'idea', 'person', 'fact'), text: textArb }), { maxLength: 15 }),
      fc.array(textArb, { maxLength: 3 }),
      textArb,
      fc.integer({ min: 60, max: 3000 }),
      async (texts, us, identity, message, budget) => {
        const docs = texts.map((t, i) => doc(`d${i}`, t, { time: 1000 * i, conversation: `c${i % 3}`, role: i % 2 === 0 ? 'user' : 'assistant' }))
        const units = us.map((u, i) => ({ ...u, cid: `u${i}`, time: i, confidence: 0.5 }) as MemoryUnit)
        const out = await assembleContext(message, { budget, counter }, fixedSources(docs, units, identity))
        expect(out.tokens).toBe(counter.count(out.text))
        expect(out.tokens).toBeLessThanOrEqual(budget)
        expect(out.layers.map(l => l.name)).toEqual([...LAYER_NAMES])
        for (const l of out.layers) {
          expect(l.tokens).toBeLessThanOrEqual(l.allocated)
          expect(l.allocated).toBeLessThanOrEqual(l.max)
          // The minimum is reserved: a layer gets it whenever it has that much content.
          expect(l.allocated).toBeGreaterThanOrEqual(Math.min(l.min, l.demand))
        }
        expect(out.layers.reduce((s, l) => s + l.tokens, 0)).toBeLessThanOrEqual(budget)
        const cids = out.citations.map(c => c.cid)
        expect(new Set(cids).size).toBe(cids.length)
        for (const c of out.citations) expect(out.text).toContain(`[${c.n}]`)
      }), { seed: 424242, numRuns: 60 })
  })

  it('cites frames by CID and URI, removes duplicates, and puts the message last', async () => {
    const ix = createSearchIndex()
    await ix.open()
    const docs = [...corpus(), doc('dup', 'We adopted a golden retriever puppy named Biscuit. He loves running in the park.', { time: 5 })]
    await ix.add(docs)
    const out = await assembleContext('Tell me about our puppy Biscuit', { budget: 800, counter }, indexSources(ix))
    const c1 = out.citations.find(c => c.cid === 'c1' || c.cid === 'dup')
    expect(c1).toBeDefined()
    expect(out.citations.filter(c => c.cid === 'c1' || c.cid === 'dup')).toHaveLength(1)
    expect(out.citations.find(c => c.cid === 'c1')?.uri ?? 'vivim://notes/pets/1').toBe('vivim://notes/pets/1')
    expect(out.text.trimEnd().endsWith('Tell me about our puppy Biscuit')).toBe(true)
    expect(out.layers.find(l => l.name === 'retrieval')?.items).toBeGreaterThan(0)
    await ix.close()
  })

  it('cuts a long message down to its layer maximum', async () => {
    const long = 'word '.repeat(5000)
    const out = await assembleContext(long, { budget: 500, counter }, fixedSources([], [], []))
    const m = out.layers.find(l => l.name === 'message')
    expect(m?.tokens).toBeLessThanOrEqual(m?.max ?? 0)
    expect(m?.tokens).toBeGreaterThan(0)
    expect(out.tokens).toBeLessThanOrEqual(500)
  })

  it('rejects bounds whose minimums exceed the budget with BudgetError', async () => {
    const layers = Object.fromEntries(LAYER_NAMES.map(n => [n, { min: 0.2, ideal: 0.2, max: 0.2 }]))
    await expect(assembleContext('hi', { budget: 100, counter, layers }, fixedSources([], [], []))).rejects.toHaveProperty('name', 'BudgetError')
    await expect(assembleContext('hi', { budget: 0, counter }, fixedSources([], [], []))).rejects.toHaveProperty('name', 'RangeError')
  })
})
