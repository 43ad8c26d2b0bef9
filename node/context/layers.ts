import { BudgetError } from './errors.js'

/** The layers of an assembled context, in the order they appear. */
export const LAYER_NAMES = ['identity', 'preferences', 'topics', 'entities', 'related', 'retrieval', 'recent', 'message'] as const
export type LayerName = typeof LAYER_NAMES[number]

/** A layer's bounds, as shares of the total budget (0–1). */
export interface LayerBounds {
  /** Reserved for the layer: it gets at least this much when it has that much content. */
  min: number
  /** Given before any layer grows past its own ideal. */
  ideal: number
  /** Never exceeded. */
  max: number
}

/**
 * Default bounds. The message and just-in-time retrieval matter most; identity and
 * preferences are small but always reserved. Priority (the order spare budget is handed out)
 * is `DEFAULT_PRIORITY`.
 */
export const DEFAULT_LAYER_BOUNDS: Readonly<Record<LayerName, LayerBounds>> = {
  identity: { min: 0.02, ideal: 0.04, max: 0.08 },
  preferences: { min: 0.02, ideal: 0.05, max: 0.10 },
  topics: { min: 0, ideal: 0.05, max: 0.10 },
  entities: { min: 0, ideal: 0.05, max: 0.10 },
  related: { min: 0, ideal: 0.10, max: 0.25 },
  retrieval: { min: 0.15, ideal: 0.45, max: 0.80 },
  recent: { min: 0.05, ideal: 0.10, max: 0.25 },
  message: { min: 0.05, ideal: 0.15, max: 0.40 }
}

export const DEFAULT_PRIORITY: readonly LayerName[] = ['message', 'retrieval', 'identity', 'preferences', 'recent', 'related', 'entities', 'topics']

/** Token allowance per layer. */
export type Allocation = Record<LayerName, number>

/**
 * Splits `budget` tokens between layers that want `demand` tokens each: first every layer's
 * minimum (capped by its demand), then up to its ideal, then up to its maximum, in priority
 * order. Never gives a layer more than its max or its demand, nor more than `budget` in all.
 *
 * @throws {BudgetError} when the minimums alone exceed the budget
 */
export function allocate (budget: number, demand: Record<LayerName, number>, bounds: Record<LayerName, LayerBounds>, priority: readonly LayerName[] = DEFAULT_PRIORITY): Allocation {
  const abs = (share: number): number => Math.floor(share * budget)
  let mins = 0
  for (const name of LAYER_NAMES) {
    const b = bounds[name]
    if (!(b.min >= 0 && b.min <= b.ideal && b.ideal <= b.max && b.max <= 1)) throw new RangeError(`layers.${name}: expected 0 ≤ min ≤ ideal ≤ max ≤ 1`)
    mins += abs(b.min)
  }
  if (mins > budget) throw new BudgetError(`layer minimums need ${mins} tokens, the budget is ${budget}`)
  const out = Object.fromEntries(LAYER_NAMES.map(n => [n, 0])) as Allocation
  let left = budget
  for (const stage of ['min', 'ideal', 'max'] as const) {
    for (const name of priority) {
      const cap = Math.min(abs(bounds[name][stage]), demand[name])
      const give = Math.max(0, Math.min(cap - out[name], left))
      out[name] += give
      left -= give
    }
  }
  return out
}
