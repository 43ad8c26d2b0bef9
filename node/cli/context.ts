import type { Command } from 'commander'
import { createNode, type VivimNode } from '../node.js'
import { createOutput, type Output } from './output.js'

/** Global options every command sees. */
export interface GlobalOptions {
  home?: string
  json?: boolean
  debug?: boolean
}

export function globals (cmd: Command): GlobalOptions {
  return cmd.optsWithGlobals() as GlobalOptions
}

/** Opens the node for one command, runs it, and always stops the node. */
export async function withNode<T> (cmd: Command, fn: (node: VivimNode, out: Output) => Promise<T>): Promise<T> {
  const g = globals(cmd)
  const out = createOutput(g.json === true)
  const node = await createNode({ home: g.home, network: false })
  try {
    return await fn(node, out)
  } finally {
    await node.stop()
  }
}
