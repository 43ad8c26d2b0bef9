// Recall metrics of the LoCoMo paper: per question, the share of its evidence turns in the top k.
import type { Question } from './_retrieval-locomo.js'

export const KS = [1, 5, 10, 25, 50] as const
export const BUDGETS = [512, 1024, 2048, 4096] as const

export interface Run {
  /** Ranked doc ids (best first, at least 50 where the system found them). */
  ranked: string[]
  /** Evidence share inside each token budget of assembled context (BUDGETS order). */
  budget: number[]
  ms: number
}

export interface Scores {
  recall: Record<string, Record<number, number>>
  session: Record<number, number>
  budget: Record<number, number>
  count: Record<string, number>
}

const share = (found: Iterable<string>, want: string[]): number => {
  const set = new Set(found)
  return want.filter(w => set.has(w)).length / want.length
}

/** Averages recall@k per category, over categories 1–4 (`1-4`) and over all (`all`). */
export function score (questions: Question[], runs: Run[], sessionOf: (id: string) => string): Scores {
  const sums: Record<string, Record<number, number>> = {}
  const count: Record<string, number> = {}
  const session: Record<number, number> = {}
  const budget: Record<number, number> = {}
  let n14 = 0
  questions.forEach((q, i) => {
    const r = runs[i]
    const groups = [String(q.category), 'all', ...(q.category !== 5 ? ['1-4'] : [])]
    for (const g of groups) {
      sums[g] ??= {}
      count[g] = (count[g] ?? 0) + 1
      for (const k of KS) sums[g][k] = (sums[g][k] ?? 0) + share(r.ranked.slice(0, k), q.evidence)
    }
    if (q.category !== 5) {
      n14++
      for (const k of KS) session[k] = (session[k] ?? 0) + share(r.ranked.slice(0, k).map(sessionOf), q.sessions)
      BUDGETS.forEach((b, j) => { budget[b] = (budget[b] ?? 0) + r.budget[j] })
    }
  })
  const recall: Record<string, Record<number, number>> = {}
  for (const [g, s] of Object.entries(sums)) {
    recall[g] = {}
    for (const k of KS) recall[g][k] = s[k] / count[g]
  }
  for (const k of KS) session[k] /= n14
  for (const b of BUDGETS) budget[b] /= n14
  return { recall, session, budget, count }
}

/** Evidence share among ranked turns packed whole into each budget (no assembler). */
export function packedBudget (ranked: string[], evidence: string[], tokensOf: (id: string) => number): number[] {
  return BUDGETS.map(b => {
    let used = 0
    const inside: string[] = []
    for (const id of ranked) {
      const t = tokensOf(id)
      if (used + t > b) break
      used += t
      inside.push(id)
    }
    return share(inside, evidence)
  })
}
