/**
 * Message trees (ChatGPT mapping, Claude/Grok/DeepSeek/Open WebUI parent
 * links): the visible thread is the path from the root to the provider's
 * chosen leaf; every other leaf gives a branch holding only the messages
 * that are not already on the thread or an earlier branch.
 */
import type { Branch, Message } from './interface.js'

export interface TreeNode {
  id: string
  parent?: string
  /** Order of children as the provider lists them (optional). */
  children?: string[]
  /** undefined for structural nodes (roots) and hidden messages. */
  message?: Message
}

export interface Thread {
  messages: Message[]
  branches: Branch[]
}

/** Path root→leaf following parent links, cycle-safe. */
function pathTo (nodes: Map<string, TreeNode>, leaf: string): string[] {
  const path: string[] = []
  const seen = new Set<string>()
  let cur: string | undefined = leaf
  while (cur !== undefined && nodes.has(cur) && !seen.has(cur)) {
    seen.add(cur)
    path.push(cur)
    cur = nodes.get(cur)?.parent
  }
  return path.reverse()
}

function timeOf (n: TreeNode | undefined): number {
  return n?.message?.time ?? -Infinity
}

/** Latest message time on the path from the root to each node, memoised (linear overall, cycle-safe). */
function latestOnPath (nodes: Map<string, TreeNode>): (id: string) => number {
  const memo = new Map<string, number>()
  return (id: string): number => {
    const chain: string[] = []
    const seen = new Set<string>()
    let cur: string | undefined = id
    while (cur !== undefined && nodes.has(cur) && !memo.has(cur) && !seen.has(cur)) {
      seen.add(cur)
      chain.push(cur)
      cur = nodes.get(cur)?.parent
    }
    let acc = cur !== undefined ? (memo.get(cur) ?? -Infinity) : -Infinity
    for (let i = chain.length - 1; i >= 0; i--) {
      acc = Math.max(acc, timeOf(nodes.get(chain[i])))
      memo.set(chain[i], acc)
    }
    return memo.get(id) ?? -Infinity
  }
}

/**
 * Splits a tree into the visible thread and branches.
 * @param leaf the provider's current leaf; when absent or unknown, the latest leaf
 */
export function splitTree (nodes: Map<string, TreeNode>, leaf?: string): Thread {
  const hasChild = new Set<string>()
  for (const n of nodes.values()) {
    if (n.parent !== undefined && nodes.has(n.parent) && n.parent !== n.id) hasChild.add(n.parent)
  }
  const leaves = [...nodes.keys()].filter(id => !hasChild.has(id))
  let chosen = leaf !== undefined && nodes.has(leaf) ? leaf : undefined
  if (chosen === undefined) {
    // the leaf whose path holds the latest time; last listed wins ties
    const latest = latestOnPath(nodes)
    let best = -Infinity
    for (const id of leaves) {
      const t = latest(id)
      if (chosen === undefined || t >= best) { best = t; chosen = id }
    }
  }
  const assigned = new Set<string>()
  const main = chosen === undefined ? [] : pathTo(nodes, chosen)
  for (const id of main) assigned.add(id)
  const messages = main.map(id => nodes.get(id)?.message).filter((m): m is Message => m !== undefined)

  const branches: Branch[] = []
  // leaves in order of time so branch numbering is stable across exports
  const others = leaves.filter(id => !assigned.has(id))
    .map((id, i) => ({ id, i, t: timeOf(nodes.get(id)) }))
    .sort((a, b) => (a.t === b.t ? a.i - b.i : a.t - b.t))
  for (const { id } of others) {
    const own: string[] = []
    const seen = new Set<string>()
    let cur: string | undefined = id
    while (cur !== undefined && nodes.has(cur) && !assigned.has(cur) && !seen.has(cur)) {
      seen.add(cur)
      own.push(cur)
      cur = nodes.get(cur)?.parent
    }
    for (const o of own) assigned.add(o)
    // nearest ancestor with a message is the fork point
    let fork: string | undefined
    const seenUp = new Set<string>()
    while (cur !== undefined && nodes.has(cur) && !seenUp.has(cur)) {
      seenUp.add(cur)
      const m = nodes.get(cur)?.message
      if (m !== undefined) { fork = m.id; break }
      cur = nodes.get(cur)?.parent
    }
    const msgs = own.reverse().map(o => nodes.get(o)?.message).filter((m): m is Message => m !== undefined)
    if (msgs.length > 0) branches.push({ forkFrom: fork, messages: msgs })
  }
  return { messages, branches }
}
