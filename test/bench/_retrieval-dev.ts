// Quick recall check on LoCoMo dev (no latency, no assembler), for tuning:
//   npx tsx test/bench/_retrieval-dev.ts [--set=k1=1.2,...] [--misses]
import '../../node/polyfill.js'
import { writeFileSync } from 'node:fs'
import { createSearchIndex, type RankingParams } from '../../node/context/index.js'
import { loadLocomo } from './_retrieval-locomo.js'

const args = process.argv.slice(2)
const ranking: Record<string, number> = {}
for (const a of args) if (a.startsWith('--set=')) for (const kv of a.slice(6).split(',')) { const [k, v] = kv.split('='); ranking[k] = Number(v) }
const { docs, questions, ends } = await loadLocomo()
const ix = createSearchIndex({ ranking: ranking as Partial<RankingParams> })
await ix.open()
const t0 = performance.now()
await ix.add(docs)
const tAdd = performance.now() - t0
const ks = [5, 10]
const sums: Record<string, number[]> = {}
const counts: Record<string, number> = {}
const ms: number[] = []
const misses = args.includes('--misses')
const groups = args.includes('--groups')
// --dump=file: each question's recall@10 as JSON (to compare two settings).
const dump = args.find(a => a.startsWith('--dump='))?.slice(7)
const dumped: Array<[string, number]> = []
const textOf = new Map(docs.map(d => [d.cid, `${d.role ?? ''}: ${d.text}`]))
const run = async (q: typeof questions[number]): Promise<string[]> => (await ix.search(q.question, { topK: 10, capsule: q.sample, now: new Date(ends.get(q.sample) as number), timeZone: 'UTC' })).map(h => h.cid)
for (const q of questions) await run(q)
for (const q of questions) { const t = performance.now(); await run(q); ms.push(performance.now() - t) }
for (const q of questions) {
  if (q.category === 5) continue
  const ranked = (await ix.search(q.question, { topK: 10, capsule: q.sample, now: new Date(ends.get(q.sample) as number), timeZone: 'UTC' })).map(h => h.cid)
  if (misses && q.evidence.some(e => !ranked.includes(e))) {
    const deep = (await ix.search(q.question, { topK: 200, capsule: q.sample, now: new Date(ends.get(q.sample) as number), timeZone: 'UTC' })).map(h => h.cid)
    console.log(`\n[${q.category}] ${q.question}`)
    for (const e of q.evidence) console.log(`  ${deep.indexOf(e) < 0 ? '  -' : String(deep.indexOf(e) + 1).padStart(3)} ${e} ${(textOf.get(e) ?? '').slice(0, 160)}`)
    for (const c of ranked.slice(0, 3)) console.log(`   top ${c} ${(textOf.get(c) ?? '').slice(0, 120)}`)
  }
  if (dump !== undefined) dumped.push([q.question, q.evidence.filter(e => ranked.includes(e)).length / q.evidence.length])
  const words = q.question.toLowerCase().split(/\s+/)
  const kind = ['what', 'how', 'which'].includes(words[0]) ? `${words[0]} ${words[1]}` : words[0]
  const named = new Set(docs.filter(d => d.capsule === q.sample).map(d => d.role)).size
  const speakers = [...new Set(docs.filter(d => d.capsule === q.sample).map(d => d.role as string))].filter(r => q.question.includes(r)).length
  if (groups) for (const g of [`k:${kind}`, `s:${speakers}/${named}`, `c:${q.sample}`]) {
    sums[g] ??= [0, 0]; counts[g] = (counts[g] ?? 0) + 1
    ks.forEach((k, i) => { const top = new Set(ranked.slice(0, k)); sums[g][i] += q.evidence.filter(e => top.has(e)).length / q.evidence.length })
  }
  for (const g of [String(q.category), '1-4']) {
    sums[g] ??= [0, 0]; counts[g] = (counts[g] ?? 0) + 1
    ks.forEach((k, i) => { const top = new Set(ranked.slice(0, k)); sums[g][i] += q.evidence.filter(e => top.has(e)).length / q.evidence.length })
  }
}
for (const g of ['1', '2', '3', '4', '1-4']) console.log(`${g.padEnd(4)} n=${String(counts[g]).padStart(4)}  @5 ${(sums[g][0] / counts[g]).toFixed(3)}  @10 ${(sums[g][1] / counts[g]).toFixed(3)}`)
if (groups) for (const g of Object.keys(counts).filter(g => g.includes(':') && counts[g] >= 8).sort((a, b) => counts[b] - counts[a])) console.log(`${g.padEnd(16)} n=${String(counts[g]).padStart(4)}  @5 ${(sums[g][0] / counts[g]).toFixed(3)}  @10 ${(sums[g][1] / counts[g]).toFixed(3)}  lost@10 ${(counts[g] - sums[g][1]).toFixed(1)}`)
if (dump !== undefined) writeFileSync(dump, JSON.stringify(dumped))
ms.sort((a, b) => a - b)
console.log(`add ${tAdd.toFixed(0)} ms for ${docs.length} docs; search p50 ${ms[ms.length >> 1].toFixed(3)} ms, p99 ${ms[Math.floor(ms.length * 0.99)].toFixed(3)} ms (all ${questions.length} questions, warm)`)
await ix.close()
