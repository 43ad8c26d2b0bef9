// The policy language beyond the upstream fixtures: selectors, globs, kinds, limits.
import { describe, it, expect } from 'vitest'
import { CID } from 'multiformats/cid'
import { FAIL, compileGlob, deepEqual, globMatch, matchPolicy, parsePolicy, parseSelector, select } from '../../capabilities/index.js'

const sel = (s: string, v: unknown): unknown => select(parseSelector(s), v)
const nameOf = (f: () => unknown): string | undefined => {
  try { f(); return undefined } catch (e) { return (e as Error).name }
}

// The spec's own example args (ucan-wg/delegation, "Selectors").
const args = {
  from: 'alice@example.com',
  to: ['bob@example.com', 'carol@not.example.com', 'dan@example.com'],
  cc: ['fraud@example.com'],
  title: 'Meeting Confirmation',
  body: "I'll see you on Tuesday"
}

describe('selectors', () => {
  it('resolve as the spec table says', () => {
    expect(sel('.', args)).toBe(args)
    expect(sel('.title', args)).toBe('Meeting Confirmation')
    expect(sel('.cc', args)).toEqual(['fraud@example.com'])
    expect(sel('.to[1]', args)).toBe('carol@not.example.com')
    expect(sel('.to[-1]', args)).toBe('dan@example.com')
    expect(sel('.to[99]?', args)).toBe(null)
    expect(sel('.to[99]', args)).toBe(FAIL)
  })

  it('quoted keys, slices, iteration, bytes and optional chains', () => {
    const v = { '.': 1, 'a b': 2, list: [1, 2, 3, 4], m: { x: { k: 1 }, y: { k: 2 } }, b: Uint8Array.of(0xd6, 0xa9, 0xc1, 0x8c) }
    expect(sel('.["."]', v)).toBe(1)
    expect(sel('["a b"]'.replace(/^/, '.'), v)).toBe(2)
    expect(sel('.list[1:3]', v)).toEqual([2, 3])
    expect(sel('.list[:-1]', v)).toEqual([1, 2, 3])
    expect(sel('.list[2:]', v)).toEqual([3, 4])
    expect(sel('.m[]', v)).toEqual([{ k: 1 }, { k: 2 }])
    expect(sel('.m[].k', v)).toEqual([1, 2])
    expect(sel('.b[3]', v)).toBe(0x8c)
    expect(sel('.missing', v)).toBe(null) // spec: a missing map key selects null
    expect(sel('.missing.deeper', v)).toBe(FAIL) // …but nesting into it fails
    expect(sel('.missing?.deeper', v)).toBe(FAIL) // optional on the wrong segment
    expect(sel('.missing.deeper?', v)).toBe(null)
    expect(sel('.list.x', v)).toBe(FAIL)
    expect(sel('.list???', v)).toEqual([1, 2, 3, 4])
  })

  it('never reaches the prototype: "constructor" and "__proto__" are just missing keys', () => {
    expect(sel('.constructor', {})).toBe(null)
    expect(sel('.__proto__', {})).toBe(null)
    expect(matchPolicy(parsePolicy([['==', '.toString', null]]), {})).toBe(true)
  })

  it('refuses syntax the spec does not allow', () => {
    for (const bad of ['', 'a', '..', '.a..b', '.a.', '.[', '.[1', '.["a]', '.[a]', '.[1:2:3]', '.[01]', '.a b', '.-a', '.[99999999999999999999]']) {
      expect(nameOf(() => parseSelector(bad))).toBe('MalformedToken')
    }
  })
})

describe('statements', () => {
  it('glob: * is zero or more characters, \\* a literal star, no backtracking blow-up', () => {
    expect(globMatch(compileGlob('*@example.com'), 'bob@example.com')).toBe(true)
    expect(globMatch(compileGlob('*@example.com'), 'bob@example.org')).toBe(false)
    expect(globMatch(compileGlob('a\\*b'), 'a*b')).toBe(true)
    expect(globMatch(compileGlob('a\\*b'), 'axb')).toBe(false)
    expect(globMatch(compileGlob('**'), '')).toBe(true)
    expect(globMatch(compileGlob('a*a*a*a*a*a*a*b'), 'a'.repeat(5000))).toBe(false)
  })

  it('inequalities compare numbers only, across int/float/bigint, and are false for other kinds', () => {
    const p = (op: string, v: unknown): boolean => matchPolicy(parsePolicy([[op, '.n', 10]]), { n: v })
    expect(p('<', 9.5)).toBe(true)
    expect(p('>=', 10)).toBe(true)
    expect(p('>', 2n ** 60n)).toBe(true)
    expect(p('<', '9')).toBe(false)
    expect(p('>', null)).toBe(false)
    expect(deepEqual(2n ** 60n, 2 ** 60)).toBe(true)
  })

  it('equality is deep over IPLD, including bytes and CIDs', () => {
    const cid = CID.parse('bafyreigyftnzjf4rcu7glp5kfop53vqlopc3zcldauoqdxqlz7t4343gr4')
    expect(deepEqual({ a: [Uint8Array.of(1), cid] }, { a: [Uint8Array.of(1), CID.parse(cid.toString())] })).toBe(true)
    expect(deepEqual({ a: 1 }, { a: 1, b: 2 })).toBe(false)
    expect(deepEqual([1], { 0: 1 })).toBe(false)
  })

  it('a selector that cannot be resolved makes ==, != and like false; not inverts a statement', () => {
    const m = (pol: unknown[]): boolean => matchPolicy(parsePolicy([pol]), { a: [1] })
    expect(m(['==', '.a[5]', 1])).toBe(false)
    expect(m(['!=', '.a[5]', 1])).toBe(false)
    expect(m(['like', '.a[5]', '*'])).toBe(false)
    expect(m(['not', ['==', '.a[5]', 1]])).toBe(true)
    expect(m(['!=', '.a[5]?', 1])).toBe(true) // optional: null, which is not 1
  })

  it('any over an empty collection is false; all is true; both are false on non-collections', () => {
    expect(matchPolicy(parsePolicy([['any', '.a', ['==', '.', 1]]]), { a: [] })).toBe(false)
    expect(matchPolicy(parsePolicy([['all', '.a', ['==', '.', 1]]]), { a: [] })).toBe(true)
    expect(matchPolicy(parsePolicy([['all', '.a', ['==', '.', 1]]]), { a: 'str' })).toBe(false)
    expect(matchPolicy(parsePolicy([['any', '.a', ['==', '.', 2]]]), { a: { x: 1, y: 2 } })).toBe(true)
  })

  it('malformed policies are MalformedToken', () => {
    const bad: unknown[] = [
      'nope', [['=', '.a', 1]], [['==', '.a']], [['<', '.a', 'x']], [['like', '.a', 1]], [['not']], [['and', 'x']],
      [['all', '.a']], [[1, 2, 3]], [['==', 'a', 1]]
    ]
    for (const b of bad) expect(nameOf(() => parsePolicy(b))).toBe('MalformedToken')
    let deep: unknown = ['==', '.a', 1]
    for (let i = 0; i < 40; i++) deep = ['not', deep]
    expect(nameOf(() => parsePolicy([deep]))).toBe('MalformedToken')
    expect(nameOf(() => parsePolicy(Array.from({ length: 2000 }, () => ['==', '.a', 1])))).toBe('MalformedToken')
  })
})
