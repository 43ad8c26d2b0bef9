// Retrieval on LoCoMo's development split (read from ../shared), side by side with a plain BM25
// and MiniSearch over the same turns in the same run, plus search latency on a 100k-frame corpus.
//   npm run bench -- retrieval [--quick] [--set=neighbour=0.2,prfWeight=0.3]
import { loadavg } from 'node:os'
import MiniSearch from 'minisearch'
import { countTokens } from 'gpt-tokenizer/encoding/o200k_base'
import { assembleContext, createSearchIndex, createTokenizer, indexSources, o200kCounter, type RankingParams } from '../../node/context/index.js'
import { median, percentile, writeResults } from './_util.js'
import { loadLocomo } from './_retrieval-locomo.js'
import { PlainBm25 } from './_retrieval-bm25.js'
import { BUDGETS, KS, packedBudget, score, type Run, type Scores } from './_retrieval-metrics.js'

function overrides (args: string[]): Partial<RankingParams> {
  const out: Record<string, number> = {}
  for (const a of args) {
    if (!a.startsWith('--set=')) continue
    for (const kv of a.slice(6).split(',')) { const [k, v] = kv.split('='); out[k] = Number(v) }
  }
  return out as Partial<RankingParams>
}

const pct = (x: number): string => (100 * x).toFixed(1).padStart(5)

function table (names: string[], scores: Scores[], lat: Array<{ p50: number, p99: number }>): void {
  const groups = ['1', '2', '3', '4', '5', '1-4', 'all']
  console.log(`recall@k (%) by category (count): ${names.join(' | ')}`)
  console.log(`${'cat'.padEnd(10)} ${KS.map(k => names.map(n => `${n.slice(0, 4)}@${k}`.padStart(9)).join('')).join(' ')}`)
  for (const g of groups) {
    const c = scores[0].count[g]
    const row = KS.map(k => scores.map(s => pct(s.recall[g][k]).padStart(9)).join('')).join(' ')
    console.log(`${`${g} (${c})`.padEnd(10)} ${row}`)
  }
  console.log(`${'session'.padEnd(10)} ${KS.map(k => scores.map(s => pct(s.session[k]).padStart(9)).join('')).join(' ')}`)
  console.log(`\nrecall within a budget of top turns packed whole (cats 1-4, %; vivim / bm25 / minisearch): ${BUDGETS.map(b => `${b}: ${scores.map(s => pct(s.budget[b])).join(' /')}`).join('   ')}`)
  console.log('\nlatency per query (ms):')
  names.forEach((n, i) => console.log(`  ${n.padEnd(12)} p50 ${lat[i].p50.toFixed(3)}  p99 ${lat[i].p99.toFixed(3)}`))
}

export async function run (args: string[]): Promise<void> {
  const quick = args.includes('--quick')
  const ranking = overrides(args)
  const { docs, questions, unresolved, ends } = await loadLocomo()
  console.log(`load average at start: ${loadavg().map(x => x.toFixed(1)).join(' ')} (latencies on a shared machine drift: compare ratios)`)
  console.log(`LoCoMo dev: ${docs.length} turns, ${questions.length} questions with evidence, ${unresolved} evidence ids unresolved`)
  // Tokenizing cost of non-ASCII turns: the UAX #29 regex path vs Intl.Segmenter (same tokens).
  const nonAscii = docs.map(d => d.text).filter(t => /[^\x00-\x7f]/.test(t))
  const tokenizing: Record<string, number> = {}
  for (const regexPath of [true, false, true, false]) {
    const tok = createTokenizer('english', { regexPath })
    const t0 = performance.now()
    for (let r = 0; r < 3; r++) for (const t of nonAscii) tok.terms(t)
    tokenizing[regexPath ? 'regex' : 'segmenter'] = 1000 * (performance.now() - t0) / (3 * Math.max(1, nonAscii.length))
  }
  console.log(`tokenizing ${nonAscii.length} non-ASCII turns (µs per turn, second pass): regex path ${tokenizing.regex.toFixed(1)}, Intl.Segmenter ${tokenizing.segmenter.toFixed(1)}`)
  const tokens = new Map(docs.map(d => [d.cid, countTokens(d.text)]))
  const tokensOf = (id: string): number => tokens.get(id) ?? 0
  const sessionOf = (id: string): string => docs.find(d => d.cid === id)?.conversation ?? id
  const sessionMap = new Map(docs.map(d => [d.cid, d.conversation ?? d.cid]))
  const sessOf = (id: string): string => sessionMap.get(id) ?? sessionOf(id)

  // vivim: one index for every conversation, each search filtered to its capsule (as the node does).
  const ix = createSearchIndex({ ranking })
  await ix.open()
  await ix.add(docs)
  // Every system gets one untimed pass first (JIT warm-up); then each query is timed REPEAT
  // times and its median kept, so one scheduler hiccup on this shared machine is not a p99.
  const REPEAT = 3
  async function timed <T> (fn: () => T | Promise<T>): Promise<[T, number]> {
    const times: number[] = []
    let out!: T
    for (let i = 0; i < REPEAT; i++) {
      const t0 = performance.now()
      out = await fn()
      times.push(performance.now() - t0)
    }
    return [out, median(times)]
  }
  const ourSearch = async (q: typeof questions[number]): Promise<string[]> =>
    (await ix.search(q.question, { topK: 50, capsule: q.sample, now: new Date(ends.get(q.sample) as number), timeZone: 'UTC' })).map(h => h.cid)
  for (const q of questions) await ourSearch(q)
  const ours: Run[] = []
  for (const q of questions) {
    const [ranked, ms] = await timed(async () => await ourSearch(q))
    ours.push({ ranked, ms, budget: packedBudget(ranked, q.evidence, tokensOf) })
  }
  // Plain BM25 and MiniSearch over the same turns, set up as vivim is: one index, filtered to the conversation.
  const bm = new PlainBm25()
  for (const d of docs) bm.add(d.cid, d.text)
  const capsuleOf = new Map(docs.map(d => [d.cid, d.capsule]))
  const mini = new MiniSearch({ fields: ['text'], storeFields: ['capsule'], idField: 'id' })
  mini.addAll(docs.map(d => ({ id: d.cid, text: d.text, capsule: d.capsule })))
  // MiniSearch also with one small index per conversation (its easiest case), for latency.
  const perConv = new Map<string, MiniSearch>()
  for (const d of docs) if (!perConv.has(d.capsule)) perConv.set(d.capsule, new MiniSearch({ fields: ['text'], idField: 'id' }))
  for (const [cap, m] of perConv) m.addAll(docs.filter(d => d.capsule === cap).map(d => ({ id: d.cid, text: d.text })))
  const bmSearch = (q: typeof questions[number]): string[] => bm.search(q.question, 50, id => capsuleOf.get(id) === q.sample)
  const miniSearch = (q: typeof questions[number]): string[] => mini.search(q.question, { filter: r => r.capsule === q.sample }).slice(0, 50).map(r => r.id as string)
  const convSearch = (q: typeof questions[number]): string[] => (perConv.get(q.sample) as MiniSearch).search(q.question).slice(0, 50).map(r => r.id as string)
  for (const q of questions) { bmSearch(q); miniSearch(q); convSearch(q) }
  const base: Run[] = []
  const ms: Run[] = []
  const msConv: number[] = []
  for (const q of questions) {
    const [a, ta] = await timed(() => bmSearch(q))
    base.push({ ranked: a, ms: ta, budget: packedBudget(a, q.evidence, tokensOf) })
    const [b, tb] = await timed(() => miniSearch(q))
    ms.push({ ranked: b, ms: tb, budget: packedBudget(b, q.evidence, tokensOf) })
    msConv.push((await timed(() => convSearch(q)))[1])
  }
  const names = ['vivim', 'bm25', 'minisearch']
  const runs = [ours, base, ms]
  const scores = runs.map(r => score(questions, r, sessOf))
  const lat = runs.map(r => ({ p50: median(r.map(x => x.ms)), p99: percentile(r.map(x => x.ms), 99) }))
  table(names, scores, lat)
  const conv = { p50: median(msConv), p99: percentile(msConv, 99) }
  console.log(`  ${'minisearch, one index per conversation'} p50 ${conv.p50.toFixed(3)}  p99 ${conv.p99.toFixed(3)}`)
  console.log(`\nvivim vs minisearch: ${(lat[2].p50 / lat[0].p50).toFixed(1)}x faster at p50 (same setup), ${(conv.p50 / lat[0].p50).toFixed(1)}x vs its per-conversation indexes; recall@10 (1-4) ${pct(scores[0].recall['1-4'][10])} vs ${pct(scores[2].recall['1-4'][10])}`)
  console.log(`vivim vs plain BM25: recall@5 (1-4) ${pct(scores[0].recall['1-4'][5])} vs ${pct(scores[1].recall['1-4'][5])}, recall@10 ${pct(scores[0].recall['1-4'][10])} vs ${pct(scores[1].recall['1-4'][10])}`)
  // Recall inside the real assembled context (all layers, default bounds) at each budget.
  const counter = await o200kCounter()
  const assembled: Record<number, number> = {}
  const n14 = questions.filter(q => q.category !== 5)
  const sourcesBySample = new Map<string, ReturnType<typeof indexSources>>()
  for (const b of BUDGETS) {
    let sum = 0
    for (const q of n14) {
      let src = sourcesBySample.get(q.sample)
      if (src === undefined) { src = indexSources(ix, { filter: { capsule: q.sample, now: new Date(ends.get(q.sample) as number), timeZone: 'UTC' } }); sourcesBySample.set(q.sample, src) }
      const ctx = await assembleContext(q.question, { budget: b, counter }, src)
      const cited = new Set(ctx.citations.map(c => c.cid))
      sum += q.evidence.filter(e => cited.has(e)).length / q.evidence.length
    }
    assembled[b] = sum / n14.length
  }
  console.log(`recall within the assembled context (all layers, cats 1-4, %): ${BUDGETS.map(b => `${b}: ${pct(assembled[b])}`).join('   ')}`)
  await ix.close()
  const results: Record<string, unknown> = { locomo: Object.fromEntries(names.map((n, i) => [n, { ...scores[i], latency: lat[i] }])), minisearchPerConversation: conv, assembled, ranking, tokenizing }
  if (!quick) {
    const { syntheticLatency } = await import('./_retrieval-synthetic.js')
    results.synthetic = await syntheticLatency(100_000)
  }
  results.loadavg = loadavg()
  await writeResults('retrieval', results)
}
