/**
 * Fuzz: 10,000 mutated export files (byte-level and structural mutations of
 * our fixtures and the shared ones), imported from memory. No crash, no
 * hang, only typed errors, and a file that fails stores nothing.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { FORMATS, importBytes, type ExportFormat, type ImportReport } from '../../../node/capture/index.js'
import { MemorySink, SHARED_EXPORTS } from './_sink.js'

const SEED = 20261121
const RUNS = 10_000
const CASE_TIMEOUT_MS = 5_000
/** Whole-file failures a caller can meet; anything else is a bug. */
const ALLOWED = new Set(['NotAnExportError', 'MalformedExportError', 'InvalidPdfError', 'UnsupportedFormatError'])

function files (dir: string): string[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir).flatMap(n => {
    const p = join(dir, n)
    return statSync(p).isDirectory() ? files(p) : [p]
  })
}

const own = files(fileURLToPath(new URL('../../fixtures/capture/', import.meta.url)))
// shared fixtures up to 32 KB keep the run fast; the large ones are covered by conformance
const shared = files(fileURLToPath(SHARED_EXPORTS)).filter(p => !p.endsWith('.md') && statSync(p).size <= 32 * 1024)
const seeds = [...own, ...shared].filter(p => !p.endsWith('.pdf') && !p.endsWith('.dat') && !p.endsWith('.bin')).map(p => readFileSync(p))

const TOKENS = ['{', '}', '[', ']', '"', ',', ':', 'null', '-1', '1e309', '"\\u0000"', '\\', '\ue200cite\ue202', '\ue201', '【1†', '】', '<antArtifact ', '```', '<details type="reasoning">', '\n', '\r\n', '\ufeff', '\u2028', '{"$date":', '"mapping":{', '"parent":"x"']
const VALUES: unknown[] = [null, 0, -1, 1e308, '', 'x', true, [], {}, [null], { a: 1 }, 'client-created-root', '2026-13-45T99:99:99Z', 1e21, -0, '\ue200entity\ue202["a"]\ue201']

type Mutation =
  | { kind: 'flip', at: number, byte: number }
  | { kind: 'delete', at: number, len: number }
  | { kind: 'insert', at: number, token: number }
  | { kind: 'truncate', at: number }
  | { kind: 'duplicate', at: number, len: number }
  | { kind: 'value', pick: number, value: number }

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), byte: fc.nat(255) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 64 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), token: fc.nat(TOKENS.length - 1) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 256 }) }),
  fc.record({ kind: fc.constant('value' as const), pick: fc.nat(), value: fc.nat(VALUES.length - 1) }),
  fc.record({ kind: fc.constant('value' as const), pick: fc.nat(), value: fc.nat(VALUES.length - 1) })
)

/** Replaces the pick-th value of a JSON document (walked depth first) by another. */
function replaceValue (text: string, pick: number, value: unknown): string | undefined {
  let doc: unknown
  try { doc = JSON.parse(text) } catch { return undefined }
  const slots: Array<[Record<string, unknown> | unknown[], string | number]> = []
  const walk = (v: unknown): void => {
    if (slots.length > 5000) return
    if (Array.isArray(v)) v.forEach((x, i) => { slots.push([v, i]); walk(x) })
    else if (typeof v === 'object' && v !== null) for (const k of Object.keys(v)) { slots.push([v as Record<string, unknown>, k]); walk((v as Record<string, unknown>)[k]) }
  }
  walk(doc)
  if (slots.length === 0) return undefined
  const [holder, key] = slots[pick % slots.length]
  ;(holder as Record<string | number, unknown>)[key] = value
  return JSON.stringify(doc)
}

function apply (seed: Buffer, muts: Mutation[]): Uint8Array {
  let b: Buffer = seed
  for (const m of muts) {
    const at = b.length === 0 ? 0 : m.kind === 'value' ? 0 : m.at % (b.length + 1)
    switch (m.kind) {
      case 'flip': if (b.length > 0) { b = Buffer.from(b); b[at % b.length] = m.byte } break
      case 'delete': b = Buffer.concat([b.subarray(0, at), b.subarray(at + m.len)]); break
      case 'insert': b = Buffer.concat([b.subarray(0, at), Buffer.from(TOKENS[m.token]), b.subarray(at)]); break
      case 'truncate': b = b.subarray(0, at); break
      case 'duplicate': b = Buffer.concat([b.subarray(0, at + m.len), b.subarray(at)]); break
      case 'value': {
        const text = b.toString('utf8')
        const lines = text.split('\n')
        // JSONL: mutate one line; JSON: the whole document
        if (lines.length > 2 && lines.every(l => l.trim() === '' || l.trim().startsWith('{'))) {
          const i = m.pick % lines.length
          const r = replaceValue(lines[i], m.pick >> 4, VALUES[m.value])
          if (r !== undefined) lines[i] = r
          b = Buffer.from(lines.join('\n'))
        } else {
          const r = replaceValue(text, m.pick, VALUES[m.value])
          if (r !== undefined) b = Buffer.from(r)
        }
      }
    }
  }
  return b
}

/** Checks what an import that succeeded stored (plain checks: this runs 10,000 times). */
function checkStored (sink: MemorySink, r: ImportReport): void {
  const fail = (why: string): never => { throw new Error(`stored frames inconsistent: ${why}`) }
  if (r.added !== sink.all().length) fail('added ≠ frames stored')
  if (r.added + r.alreadyPresent !== r.messages) fail('added + alreadyPresent ≠ messages')
  for (const c of sink.calls) {
    if (c.inputs.length === 0) fail('empty putMany')
    if (new Set(c.inputs.map(i => `${i.conversation ?? ''}|${i.branch ?? ''}`)).size !== 1) fail('a putMany mixes threads')
    for (const i of c.inputs) {
      if (typeof i.text !== 'string' || i.text.trim() === '') fail('empty text')
      if (typeof i.uri !== 'string') fail('no uri')
      if (i.time !== undefined && !Number.isSafeInteger(i.time)) fail(`time ${String(i.time)}`)
      for (const v of Object.values(i.tags ?? {})) if (typeof v !== 'string') fail('non-string tag')
    }
  }
}

describe('capture fuzz', () => {
  it(`${RUNS} mutated exports: typed errors only, nothing half-imported (seed ${SEED})`, async () => {
    console.log(`capture fuzz: seed ${SEED}, ${RUNS} runs over ${seeds.length} seed files`)
    expect(seeds.length).toBeGreaterThan(10)
    const formats: Array<ExportFormat | 'auto'> = ['auto', ...FORMATS.filter(x => x !== 'pdf' && x !== 'chatgpt-manifest')]
    const names = new Map<string, number>()
    await fc.assert(fc.asyncProperty(
      fc.nat(seeds.length - 1), fc.array(mutation, { minLength: 1, maxLength: 3 }), fc.nat(formats.length * 4 - 1),
      async (s, muts, fpick) => {
        const data = apply(seeds[s], muts)
        // mostly auto-detection; sometimes a forced (often wrong) format
        const format = fpick < formats.length ? formats[fpick] : 'auto'
        const sink = new MemorySink()
        let timer: NodeJS.Timeout | undefined
        const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error('hang')), CASE_TIMEOUT_MS) })
        try {
          const r = await Promise.race([importBytes(sink, data, { format }), timeout])
          checkStored(sink, r)
          names.set('ok', (names.get('ok') ?? 0) + 1)
        } catch (err) {
          const name = (err as Error).name
          if (!ALLOWED.has(name)) throw err
          expect(sink.calls).toHaveLength(0)
          names.set(name, (names.get(name) ?? 0) + 1)
        } finally {
          clearTimeout(timer)
        }
      }
    ), { seed: SEED, numRuns: RUNS, endOnFailure: true })
    console.log(`capture fuzz outcomes: ${JSON.stringify(Object.fromEntries(names))}`)
    expect(names.get('ok') ?? 0).toBeGreaterThan(RUNS / 10)
  }, 120_000)
})
