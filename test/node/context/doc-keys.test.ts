import { describe, expect, it } from 'vitest'
import { CidTable, StringColumn } from '../../../node/context/_doc-keys.js'
import { prng } from '../../_helpers.js'

describe('CidTable', () => {
  it('answers like a Map through random adds, replacements and deletes (growing past many resizes)', () => {
    for (const seed of [1, 2, 3]) {
      const r = prng(seed)
      const cids: string[] = []
      const t = new CidTable(() => cids)
      const m = new Map<string, number>()
      const name = (): string => `bafy${Math.floor(r() * 5000).toString(36)}`
      for (let step = 0; step < 20_000; step++) {
        const cid = name()
        if (r() < 0.7) {
          // as the index adds: the old doc's key goes, the new doc number takes it
          const old = m.get(cid)
          if (old !== undefined) { t.delete(cid); cids[old] = '' }
          cids.push(cid)
          t.set(cid, cids.length - 1)
          m.set(cid, cids.length - 1)
        } else {
          const n = m.get(cid)
          expect(t.delete(cid)).toBe(n !== undefined)
          if (n !== undefined) { cids[n] = ''; m.delete(cid) }
        }
        const probe = name()
        expect(t.get(probe)).toBe(m.get(probe))
        expect(t.has(probe)).toBe(m.has(probe))
      }
      expect(t.size).toBe(m.size)
      expect([...t].sort()).toEqual([...m].sort())
      t.clear()
      expect(t.size).toBe(0)
      expect(t.get(cids.find(c => c !== '') as string)).toBeUndefined()
    }
  })
})

describe('StringColumn', () => {
  it('keeps strings and undefined by position, any Unicode, and matches prefixes by bytes', () => {
    const c = new StringColumn()
    const want: Array<string | undefined> = []
    const r = prng(9)
    const pieces = ['chatgpt://', 'conv-', 'é', '日本', '🎉', 'a/b', '']
    for (let i = 0; i < 5000; i++) {
      const s = r() < 0.1 ? undefined : Array.from({ length: 1 + Math.floor(r() * 6) }, () => pieces[Math.floor(r() * pieces.length)]).join('')
      expect(c.push(s)).toBe(i)
      want.push(s)
    }
    // long strings fill several pages, one is bigger than a page; short ones go on after them
    for (const s of ['x'.repeat(100_000), 'y'.repeat(700_000), 'é'.repeat(400_000), 'z'.repeat(3_000_000), 'chatgpt://after', undefined]) { c.push(s); want.push(s) }
    expect(c.length).toBe(want.length)
    want.forEach((s, i) => expect(c.get(i)).toBe(s))
    for (const p of ['chatgpt://', 'é', '日本🎉', '', 'zzz']) {
      const bytes = StringColumn.utf8(p)
      want.forEach((s, i) => expect(c.startsWith(i, bytes)).toBe(s !== undefined && s.startsWith(p)))
    }
    c.clear(3)
    expect(c.get(3)).toBeUndefined()
    expect(c.startsWith(3, StringColumn.utf8(''))).toBe(false)
    expect(c.get(-1)).toBeUndefined()
    expect(c.get(want.length)).toBeUndefined()
  })
})
