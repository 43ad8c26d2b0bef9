import type { Command } from 'commander'
import { createNode, type VivimNode } from '../node.js'
import { identityInfo, resolveHome } from '../home/index.js'
import { createOutput, type Output } from './output.js'
import { passphraseFromFile, prompt } from './passphrase.js'

/** Global options every command sees. */
export interface GlobalOptions {
  home?: string
  json?: boolean
  debug?: boolean
  /** Unlocks a sealed keystore (else $VIVIM_PASSPHRASE_FILE, else a prompt on a terminal). */
  identityPassphraseFile?: string
}

export function globals (cmd: Command): GlobalOptions {
  return cmd.optsWithGlobals() as GlobalOptions
}

/** The passphrase that unlocks the home's keystore, when it is sealed. */
export async function identityPassphrase (g: GlobalOptions): Promise<string | undefined> {
  const info = await identityInfo(resolveHome(g.home))
  if (info?.encrypted !== true) return undefined
  const file = g.identityPassphraseFile ?? process.env.VIVIM_PASSPHRASE_FILE
  if (file != null && file !== '') return await passphraseFromFile(file)
  return await prompt('identity passphrase: ', '--identity-passphrase-file (or $VIVIM_PASSPHRASE_FILE)')
}

/** Opens the node for one command, runs it, and always stops the node. */
export async function withNode<T> (cmd: Command, fn: (node: VivimNode, out: Output) => Promise<T>): Promise<T> {
  const g = globals(cmd)
  const out = createOutput(g.json === true)
  const node = await createNode({ home: g.home, network: false, passphrase: await identityPassphrase(g) })
  try {
    return await fn(node, out)
  } finally {
    await node.stop()
  }
}
