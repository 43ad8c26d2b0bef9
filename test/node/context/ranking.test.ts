import { afterEach, describe, expect, it } from 'vitest'
import { createSearchIndex, type IndexedDoc, type RankingParams, type SearchIndex } from '../../../node/context/index.js'
import { asksWhen } from '../../../node/context/expansion.js'
import { doc } from './_fixtures.js'

const open: SearchIndex[] = []
afterEach(async () => { for (const ix of open.splice(0)) await ix.close() })

async function index (docs: IndexedDoc[], ranking?: Partial<RankingParams>): Promise<SearchIndex> {
  const ix = createSearchIndex({ ranking })
  open.push(ix)
  await ix.open()
  await ix.add(docs)
  return ix
}

const t0 = Date.UTC(2024, 0, 1)
const turn = (cid: string, role: string, text: string, conversation: string, i: number): IndexedDoc =>
  doc(cid, text, { role, conversation, time: t0 + i * 1000 })

// Ana's answer shares no word with the question; it follows Ben's question about the recipe.
const docs = [
  turn('a1', 'Ben', 'Which recipe did you like most?', 'chat-a', 0),
  turn('a2', 'Ana', 'The lemon one, I am making it again this weekend.', 'chat-a', 1),
  turn('a3', 'Ben', 'Sounds good.', 'chat-a', 2),
  turn('b1', 'Ben', 'I found a recipe for soup.', 'chat-b', 3),
  turn('b2', 'Cy', 'Soup again?', 'chat-b', 4)
]

describe('conversation-aware ranking', () => {
  it('boosts what a turn inherits from its neighbours when the query names its speaker', async () => {
    const query = 'What will Ana do with the recipe?'
    const on = (await (await index(docs)).search(query)).map(h => h.cid)
    const off = (await (await index(docs, { speakerInherited: 0 })).search(query)).map(h => h.cid)
    expect(on.indexOf('a2')).toBeLessThan(on.indexOf('b1'))
    expect(off.indexOf('a2')).toBeGreaterThan(off.indexOf('b1'))
  })

  it('passes a share to turns two away (a question, a short reply, then the answer)', async () => {
    const chat = [
      turn('q1', 'Ana', 'Can you send me the recipe?', 'chat-c', 0),
      turn('q2', 'Ben', 'Sure!', 'chat-c', 1),
      turn('q3', 'Ana', 'Thanks, I will cook it tonight for my parents.', 'chat-c', 2),
      turn('q4', 'Ben', 'Enjoy.', 'chat-c', 3)
    ]
    const query = 'What will Ana do with the recipe?'
    expect((await (await index(chat)).search(query)).map(h => h.cid)).toContain('q3')
    expect((await (await index(chat, { twoAway: 0 })).search(query)).map(h => h.cid)).not.toContain('q3')
  })

  it('lowers what a turn inherits when the query names speakers but not its own', async () => {
    const chat = [
      turn('s1', 'Ana', 'I finally finished my pottery bowl.', 'chat-d', 0),
      turn('s2', 'Ben', 'Wow, that looks great!', 'chat-d', 1)
    ]
    const ratio = async (unnamedInherited: number): Promise<number> => {
      // (Without the conversation-as-document share, which s2 also gets.)
      const hits = await (await index(chat, { unnamedInherited, sessionDoc: 0 } as Partial<RankingParams>)).search('What did Ana make in pottery?')
      const score = (cid: string): number => hits.find(h => h.cid === cid)?.score ?? 0
      return score('s2') / score('s1')
    }
    const full = await ratio(1)
    expect(full).toBeGreaterThan(0)
    expect(await ratio(0.5)).toBeCloseTo(full / 2, 6)
  })

  it('ranks a turn that says when above an equal match that does not, for a "When…" question', async () => {
    // The same match and length; only c1 says when. Without the boost, ties go by doc number.
    const chat = [
      turn('c0', 'Ana', 'The concert with my sister was wonderful.', 'chat-e', 0),
      turn('c1', 'Ana', 'The concert with my sister was yesterday.', 'chat-f', 1)
    ]
    const ranked = async (query: string, when?: number): Promise<string[]> =>
      (await (await index(chat, when === undefined ? undefined : { when } as Partial<RankingParams>)).search(query)).map(h => h.cid)
    expect(await ranked('When did Ana go to the concert with her sister?')).toEqual(['c1', 'c0'])
    expect(await ranked('When did Ana go to the concert with her sister?', 0)).toEqual(['c0', 'c1'])
    expect(await ranked('Who did Ana go to the concert with?')).toEqual(['c0', 'c1'])
  })

  it('adds to each turn a share of its conversation\'s score as one document', async () => {
    // b0 and a4 say the same; a4's conversation also talks about the garden (but not next to it).
    const chats = [
      turn('b0', 'Cy', 'I grow tomatoes now.', 'chat-g', 0),
      turn('b1', 'Di', 'Nice.', 'chat-g', 1),
      turn('a0', 'Cy', 'Our garden greenhouse is finally finished.', 'chat-h', 10),
      turn('a1', 'Di', 'Congratulations.', 'chat-h', 11),
      turn('a2', 'Cy', 'Thanks a lot.', 'chat-h', 12),
      turn('a3', 'Di', 'What else is new?', 'chat-h', 13),
      turn('a4', 'Cy', 'I grow tomatoes now.', 'chat-h', 14)
    ]
    const order = async (sessionDoc?: number): Promise<string[]> =>
      (await (await index(chats, sessionDoc === undefined ? undefined : { sessionDoc } as Partial<RankingParams>)).search('Which tomatoes grow in the garden greenhouse?'))
        .map(h => h.cid).filter(c => c === 'a4' || c === 'b0')
    expect(await order()).toEqual(['a4', 'b0'])
    expect(await order(0)).toEqual(['b0', 'a4'])
  })
})

describe('asksWhen', () => {
  it('reads English questions about time', () => {
    expect(asksWhen('When did Ana move?')).toBe(true)
    expect(asksWhen('How long has Nate had his turtles?')).toBe(true)
    expect(asksWhen('What year did Audrey adopt her dogs?')).toBe(true)
    expect(asksWhen('How many months passed between the two adoptions?')).toBe(true)
    expect(asksWhen('How many pets does Andrew have?')).toBe(false)
    expect(asksWhen('What did Ana say when she moved?')).toBe(false)
    expect(asksWhen('Whenever possible?')).toBe(false)
  })
})
