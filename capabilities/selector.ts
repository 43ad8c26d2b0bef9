// UCAN policy selectors (ucan-wg/delegation, "Selectors"): a jq-inspired subset.
//
//   .            identity            .foo / ["foo"]   field of a map (missing key → null)
//   [0] / [-1]   list (or bytes) index                 [2:5] [2:] [:-1]   slice
//   []           all values of a list or map           ?    optional: null instead of failing
//
// Resolution runs left to right and stops at the first segment that cannot be
// resolved; an optional segment turns that failure into `null` for the whole selector.

import { MalformedToken } from './errors.js'
import { isBytes, isMap } from './_bytes.js'

/** One parsed selector segment. */
export type Segment =
  | { readonly t: 'field', readonly key: string, readonly opt: boolean }
  | { readonly t: 'index', readonly i: number, readonly opt: boolean }
  | { readonly t: 'slice', readonly from: number | undefined, readonly to: number | undefined, readonly opt: boolean }
  | { readonly t: 'iter', readonly opt: boolean }

/** A parsed selector. */
export interface Selector {
  readonly source: string
  readonly segments: readonly Segment[]
}

/** The result of a selection that could not be resolved. */
export const FAIL: unique symbol = Symbol('selector-fail')

const IDENT_START = /[A-Za-z_]/
const IDENT_CHAR = /[A-Za-z0-9_]/
const INT = /^-?(0|[1-9][0-9]*)$/

function bad (source: string, why: string): never {
  throw new MalformedToken(`invalid selector ${JSON.stringify(source.slice(0, 64))}: ${why}`)
}

function parseInt53 (source: string, text: string): number {
  if (!INT.test(text)) bad(source, 'bad integer')
  const n = Number(text)
  if (!Number.isSafeInteger(n)) bad(source, 'integer out of range')
  return n
}

/**
 * Parses a selector string.
 *
 * @throws {MalformedToken} on any syntax the spec does not allow (e.g. `..`, a trailing dot, no leading dot)
 */
export function parseSelector (source: unknown): Selector {
  if (typeof source !== 'string') throw new MalformedToken('selector must be a string')
  const s = source
  if (s.length === 0 || s.length > 1024 || s[0] !== '.') bad(s, 'must begin with "."')
  const segments: Segment[] = []
  let i = 1
  let afterDot = true
  const optional = (): boolean => {
    let opt = false
    while (s[i] === '?') { opt = true; i++ }
    return opt
  }
  if (s.length === 1) return { source: s, segments }
  if (s === '.?') return { source: s, segments } // optional identity never fails
  while (i < s.length) {
    const c = s[i]
    if (c === '[') {
      const close = findBracketEnd(s, i)
      const inner = s.slice(i + 1, close)
      i = close + 1
      if (inner === '') {
        segments.push({ t: 'iter', opt: optional() })
      } else if (inner[0] === '"') {
        let key: unknown
        try { key = JSON.parse(inner) } catch { bad(s, 'bad quoted key') }
        if (typeof key !== 'string') bad(s, 'bad quoted key')
        segments.push({ t: 'field', key, opt: optional() })
      } else if (inner.includes(':')) {
        const parts = inner.split(':')
        if (parts.length !== 2) bad(s, 'bad slice')
        const from = parts[0] === '' ? undefined : parseInt53(s, parts[0])
        const to = parts[1] === '' ? undefined : parseInt53(s, parts[1])
        segments.push({ t: 'slice', from, to, opt: optional() })
      } else {
        segments.push({ t: 'index', i: parseInt53(s, inner), opt: optional() })
      }
      afterDot = false
    } else if (afterDot) {
      if (!IDENT_START.test(c)) bad(s, 'expected a field name or "[" after "."')
      const start = i
      while (i < s.length && IDENT_CHAR.test(s[i])) i++
      segments.push({ t: 'field', key: s.slice(start, i), opt: optional() })
      afterDot = false
    } else if (c === '.') {
      i++
      afterDot = true
      if (i >= s.length) bad(s, 'trailing "."')
      if (s[i] === '.') bad(s, 'repeated "."')
    } else {
      bad(s, `unexpected ${JSON.stringify(c)}`)
    }
  }
  return { source: s, segments }
}

/** Index of the `]` closing the bracket at `open`, honouring quoted keys. */
function findBracketEnd (s: string, open: number): number {
  let i = open + 1
  if (s[i] === '"') {
    i++
    while (i < s.length && s[i] !== '"') i += s[i] === '\\' ? 2 : 1
    i++
  } else {
    while (i < s.length && s[i] !== ']') i++
  }
  if (s[i] !== ']') bad(s, 'unclosed "["')
  return i
}

function collection (value: unknown): unknown[] | undefined {
  if (Array.isArray(value)) return value
  if (isMap(value)) return Object.values(value)
  return undefined
}

function clampSlice (len: number, from: number | undefined, to: number | undefined): [number, number] {
  const norm = (n: number): number => Math.min(len, Math.max(0, n < 0 ? len + n : n))
  return [from === undefined ? 0 : norm(from), to === undefined ? len : norm(to)]
}

function step (seg: Segment, value: unknown): unknown {
  switch (seg.t) {
    case 'field':
      if (!isMap(value)) return FAIL
      // Spec ("Validation"): selecting a missing key of a map returns null.
      return Object.hasOwn(value, seg.key) ? value[seg.key] : null
    case 'index': {
      if (!Array.isArray(value) && !isBytes(value)) return FAIL
      const idx = seg.i < 0 ? value.length + seg.i : seg.i
      if (idx < 0 || idx >= value.length) return FAIL
      return value[idx]
    }
    case 'slice': {
      if (!Array.isArray(value) && !isBytes(value)) return FAIL
      const [a, b] = clampSlice(value.length, seg.from, seg.to)
      return value.slice(a, Math.max(a, b))
    }
    default:
      return FAIL
  }
}

function resolveFrom (segments: readonly Segment[], start: number, value: unknown): unknown {
  let current = value
  for (let k = start; k < segments.length; k++) {
    const seg = segments[k]
    if (seg.t === 'iter') {
      const children = collection(current)
      if (children === undefined) return seg.opt ? null : FAIL
      const out: unknown[] = []
      for (const child of children) {
        const r = resolveFrom(segments, k + 1, child)
        if (r === FAIL) return seg.opt ? null : FAIL
        out.push(r)
      }
      return out
    }
    const next = step(seg, current)
    if (next === FAIL) return seg.opt ? null : FAIL
    current = next
  }
  return current
}

/** The value `selector` picks out of `value`, or {@link FAIL}. Never throws. */
export function select (selector: Selector, value: unknown): unknown {
  return resolveFrom(selector.segments, 0, value)
}
