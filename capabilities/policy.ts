// The UCAN policy language (ucan-wg/delegation, "Policy"): predicate statements
// over an invocation's `args`. A policy is an array of statements, implicitly
// and-ed. Statements never throw while evaluating: a selector that cannot be
// resolved, or a comparison of the wrong kinds, makes the statement false.

import { CID } from 'multiformats/cid'
import { MalformedToken } from './errors.js'
import { FAIL, parseSelector, select, type Selector } from './selector.js'
import { MAX_POLICY_DEPTH, MAX_POLICY_NODES } from './constants.js'
import { bytesEqual, isBytes, isMap } from './_bytes.js'

/** A parsed policy statement. */
export type Statement =
  | { readonly op: '==' | '!=', readonly sel: Selector, readonly val: unknown }
  | { readonly op: '<' | '<=' | '>' | '>=', readonly sel: Selector, readonly val: number | bigint }
  | { readonly op: 'like', readonly sel: Selector, readonly glob: Glob }
  | { readonly op: 'not', readonly stmt: Statement }
  | { readonly op: 'and' | 'or', readonly stmts: readonly Statement[] }
  | { readonly op: 'all' | 'any', readonly sel: Selector, readonly stmt: Statement }

/** A parsed policy: statements that must all hold. */
export type Policy = readonly Statement[]

/** A compiled `like` pattern: the literal pieces between unescaped `*`s. */
export interface Glob {
  readonly source: string
  readonly parts: readonly string[]
}

function bad (why: string): never {
  throw new MalformedToken(`invalid policy: ${why}`)
}

/**
 * Compiles a glob: `*` matches zero or more characters, `\*` is a literal star
 * and `\\` a literal backslash (spec: "Glob Matching").
 */
export function compileGlob (pattern: string): Glob {
  const parts: string[] = []
  let cur = ''
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]
    if (c === '\\' && (pattern[i + 1] === '*' || pattern[i + 1] === '\\')) { cur += pattern[++i]; continue }
    if (c === '*') { parts.push(cur); cur = ''; continue }
    cur += c
  }
  parts.push(cur)
  return { source: pattern, parts }
}

/** True when `s` matches the glob. Linear-time per piece: no backtracking regex. */
export function globMatch (glob: Glob, s: string): boolean {
  const { parts } = glob
  if (parts.length === 1) return s === parts[0]
  const first = parts[0]
  const last = parts[parts.length - 1]
  if (s.length < first.length + last.length || !s.startsWith(first) || !s.endsWith(last)) return false
  let pos = first.length
  const end = s.length - last.length
  for (let k = 1; k < parts.length - 1; k++) {
    const at = s.indexOf(parts[k], pos)
    if (at < 0 || at + parts[k].length > end) return false
    pos = at + parts[k].length
  }
  return true
}

/**
 * Parses a policy (the `pol` field of a delegation) into statements.
 *
 * @throws {MalformedToken} on an unknown operator, a wrong arity or argument kind, a bad selector, or a policy too big or too deep
 */
export function parsePolicy (raw: unknown): Policy {
  if (!Array.isArray(raw)) bad('policy must be an array')
  const budget = { nodes: 0 }
  return raw.map(s => parseStatement(s, 1, budget))
}

function parseStatement (raw: unknown, depth: number, budget: { nodes: number }): Statement {
  if (depth > MAX_POLICY_DEPTH) bad('nested too deeply')
  if (++budget.nodes > MAX_POLICY_NODES) bad('too many statements')
  if (!Array.isArray(raw) || raw.length < 2 || typeof raw[0] !== 'string') bad('a statement is [operator, ...]')
  const op = raw[0]
  switch (op) {
    case '==': case '!=':
      if (raw.length !== 3) bad(`${op} takes a selector and a value`)
      return { op, sel: parseSelector(raw[1]), val: raw[2] }
    case '<': case '<=': case '>': case '>=':
      if (raw.length !== 3) bad(`${op} takes a selector and a number`)
      if (typeof raw[2] !== 'number' && typeof raw[2] !== 'bigint') bad(`${op} compares with a number`)
      return { op, sel: parseSelector(raw[1]), val: raw[2] }
    case 'like':
      if (raw.length !== 3 || typeof raw[2] !== 'string') bad('like takes a selector and a pattern')
      return { op, sel: parseSelector(raw[1]), glob: compileGlob(raw[2]) }
    case 'not':
      if (raw.length !== 2) bad('not takes one statement')
      return { op, stmt: parseStatement(raw[1], depth + 1, budget) }
    case 'and': case 'or':
      if (raw.length !== 2 || !Array.isArray(raw[1])) bad(`${op} takes an array of statements`)
      return { op, stmts: raw[1].map((s: unknown) => parseStatement(s, depth + 1, budget)) }
    case 'all': case 'any':
      if (raw.length !== 3) bad(`${op} takes a selector and a statement`)
      return { op, sel: parseSelector(raw[1]), stmt: parseStatement(raw[2], depth + 1, budget) }
    default:
      return bad(`unknown operator ${JSON.stringify(op).slice(0, 32)}`)
  }
}

/** True when `args` satisfies every statement of the policy. Never throws. */
export function matchPolicy (policy: Policy, args: unknown): boolean {
  for (const s of policy) if (!evaluate(s, args)) return false
  return true
}

/** Evaluates one statement against a value. Never throws. */
export function evaluate (s: Statement, value: unknown): boolean {
  switch (s.op) {
    case '==': {
      const v = select(s.sel, value)
      return v !== FAIL && deepEqual(v, s.val)
    }
    case '!=': {
      // Spec: `!=` is ["not", ["==", selector, value]] on a resolved value; when the
      // selector cannot be resolved "the associated statement MUST return false", so a
      // missing path never satisfies `!=` (deny by default; `not` of a failing `==` is still true).
      const v = select(s.sel, value)
      return v !== FAIL && !deepEqual(v, s.val)
    }
    case '<': case '<=': case '>': case '>=': {
      const v = select(s.sel, value)
      if (typeof v !== 'number' && typeof v !== 'bigint') return false
      const c = compareNumbers(v, s.val)
      return s.op === '<' ? c < 0 : s.op === '<=' ? c <= 0 : s.op === '>' ? c > 0 : c >= 0
    }
    case 'like': {
      const v = select(s.sel, value)
      return typeof v === 'string' && globMatch(s.glob, v)
    }
    case 'not':
      return !evaluate(s.stmt, value)
    case 'and':
      for (const x of s.stmts) if (!evaluate(x, value)) return false
      return true
    case 'or':
      // Spec ("Or"): an empty array MUST be treated as true.
      if (s.stmts.length === 0) return true
      for (const x of s.stmts) if (evaluate(x, value)) return true
      return false
    case 'all': case 'any': {
      const v = select(s.sel, value)
      const items = Array.isArray(v) ? v : isMap(v) ? Object.values(v) : undefined
      if (items === undefined) return false
      if (s.op === 'all') {
        for (const item of items) if (!evaluate(s.stmt, item)) return false
        return true
      }
      // `any` over an empty collection is false (nothing satisfies it): deny by default.
      for (const item of items) if (evaluate(s.stmt, item)) return true
      return false
    }
  }
}

function compareNumbers (a: number | bigint, b: number | bigint): number {
  if (typeof a !== typeof b) {
    // Mixed kinds (dag-cbor gives a bigint only beyond 2^53): compare exactly when both are integers.
    const x = typeof a === 'number' && Number.isInteger(a) ? BigInt(a) : a
    const y = typeof b === 'number' && Number.isInteger(b) ? BigInt(b) : b
    if (typeof x === 'bigint' && typeof y === 'bigint') return x < y ? -1 : x > y ? 1 : 0
    a = Number(a); b = Number(b)
  }
  return a < b ? -1 : a > b ? 1 : 0
}

/** Deep equality over the IPLD data model (numbers of any kind compare by value). */
export function deepEqual (a: unknown, b: unknown): boolean {
  if (a === b) return true
  if ((typeof a === 'number' || typeof a === 'bigint') && (typeof b === 'number' || typeof b === 'bigint')) return compareNumbers(a, b) === 0
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false
  const ca = CID.asCID(a)
  const cb = CID.asCID(b)
  if (ca !== null || cb !== null) return ca !== null && cb !== null && ca.equals(cb)
  if (isBytes(a) || isBytes(b)) return isBytes(a) && isBytes(b) && bytesEqual(a, b)
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false
    return true
  }
  if (!isMap(a) || !isMap(b)) return false
  const ka = Object.keys(a)
  if (ka.length !== Object.keys(b).length) return false
  for (const k of ka) if (!Object.hasOwn(b, k) || !deepEqual(a[k], b[k])) return false
  return true
}
