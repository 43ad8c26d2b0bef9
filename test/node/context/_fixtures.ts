import type { IndexedDoc } from '../../../node/context/index.js'

/** A doc with defaults filled in. */
export function doc (cid: string, text: string, more: Partial<IndexedDoc> = {}): IndexedDoc {
  return { cid, text, tags: {}, time: Date.UTC(2024, 0, 1), capsule: 'cap-a', kind: 'note', ...more }
}

/** A small multilingual corpus used across the tests. */
export function corpus (): IndexedDoc[] {
  const day = 86_400_000
  const t0 = Date.UTC(2023, 4, 1, 12)
  return [
    doc('c1', 'We adopted a golden retriever puppy named Biscuit. He loves running in the park.', { time: t0, tags: { topic: 'pets' }, uri: 'vivim://notes/pets/1', role: 'Ana', conversation: 'chat-1' }),
    doc('c2', 'What kind of dog did you get?', { time: t0 + 1000, role: 'Ben', conversation: 'chat-1', uri: 'vivim://chat/1/2' }),
    doc('c3', 'Mi abuela cocinaba paella valenciana todos los domingos en verano.', { time: t0 + 3 * day, tags: { lang: 'es' }, uri: 'vivim://notes/food/1' }),
    doc('c4', '我喜欢在周末喝咖啡，然后去图书馆看书。', { time: t0 + 10 * day, tags: { lang: 'zh' }, capsule: 'cap-b', uri: 'vivim://notes/zh/1' }),
    doc('c5', 'Birthday party tonight 🎉🎂 bring snacks!', { time: t0 + 20 * day, capsule: 'cap-b', tags: { topic: 'party' }, uri: 'vivim://chat/2/1' }),
    doc('c6', 'The quarterly budget review moved to Thursday. Finance wants the spreadsheet by noon.', { time: t0 + 40 * day, tags: { topic: 'work' }, uri: 'vivim://work/1' }),
    doc('c7', 'Café crème et croissants au petit-déjeuner à Paris.', { time: t0 + 41 * day, tags: { lang: 'fr' }, uri: 'vivim://notes/food/2' }),
    doc('c8', 'Running a marathon needs months of training and good shoes.', { time: t0 + 60 * day, tags: { topic: 'sport' }, capsule: 'cap-c', uri: 'vivim://notes/sport/1' })
  ]
}
