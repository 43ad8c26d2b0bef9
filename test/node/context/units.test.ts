import { describe, expect, it } from 'vitest'
import { extractUnits, llmUnitExtractor } from '../../../node/context/index.js'
import { doc } from './_fixtures.js'

describe('extractUnits', () => {
  const docs = [
    doc('m1', 'I really love hiking in the Alps. My favorite food is ramen.', { role: 'user', uri: 'vivim://c/1' }),
    doc('m2', "I'm working on a budgeting app in Rust. What do you think?", { role: 'user' }),
    doc('m3', 'My sister Ana lives in Porto. I work as a nurse.', { role: 'user' }),
    doc('m4', 'What if we built a garden on the roof?', { role: 'user' }),
    doc('m5', 'Here is my script:\n```python\nprint("hi")\n```', { role: 'user' }),
    doc('m6', 'I love helping! Here is an answer.', { role: 'assistant' })
  ]
  const units = extractUnits(docs)
  const of = (type: string): string[] => units.filter(u => u.type === type).map(u => u.text)

  it('finds preferences, projects, facts, people, ideas and code, citing frames', () => {
    expect(of('preference')).toEqual(['I really love hiking in the Alps.', 'My favorite food is ramen.'])
    expect(of('project')).toEqual(["I'm working on a budgeting app in Rust."])
    expect(of('fact')).toContain('I work as a nurse.')
    expect(units.find(u => u.type === 'person')).toMatchObject({ subject: 'Ana (sister)', cid: 'm3', text: 'My sister Ana lives in Porto.' })
    expect(of('code')[0]).toContain('print("hi")')
    expect(units.find(u => u.type === 'preference')?.uri).toBe('vivim://c/1')
  })

  it('skips assistant turns and questions', () => {
    expect(units.some(u => u.cid === 'm6')).toBe(false)
    expect(units.some(u => u.text.endsWith('?'))).toBe(false)
  })
})

describe('llmUnitExtractor', () => {
  it('keeps only well-formed units that cite a given frame', async () => {
    const ex = llmUnitExtractor(async () => [
      '{"type":"preference","text":"Likes ramen","cid":"m1","subject":"user"}',
      '{"type":"bogus","text":"x","cid":"m1"}',
      '{"type":"fact","text":"Made up","cid":"nope"}',
      'not json'
    ].join('\n'))
    const units = await ex.extract([doc('m1', 'My favorite food is ramen.')])
    expect(units).toEqual([{ type: 'preference', text: 'Likes ramen', cid: 'm1', uri: undefined, time: expect.any(Number), subject: 'user', confidence: 0.8 }])
  })
})
