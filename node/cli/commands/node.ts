import type { Command } from 'commander'
import { createNode } from '../../node.js'
import { resolveHome, loadOrCreateIdentity } from '../../home/index.js'
import { createOutput } from '../output.js'
import { globals, withNode } from '../context.js'
import { verifyFileCommand } from './files.js'

export function registerNodeCommands (program: Command): void {
  program.command('init')
    .description('create the home folder and the owner identity')
    .action(async (_o, cmd: Command) => {
      const g = globals(cmd)
      const home = resolveHome(g.home)
      const { key, created } = await loadOrCreateIdentity(home)
      createOutput(g.json === true).result({ did: key.did, home, created }, r => `${r.created ? 'created' : 'exists'}: ${r.home}\ndid: ${r.did}`)
    })

  program.command('verify')
    .description('re-hash every block and check every signature; names each problem (with FILE: check a capsule file without importing it)')
    .argument('[file]', 'a capsule file to check instead of the store')
    .option('--passphrase-file <file>', 'passphrase for an encrypted capsule file')
    .action(async (file: string | undefined, o, cmd: Command) => {
      if (file != null) { await verifyFileCommand(file, o, cmd); return }
      await withNode(cmd, async (node, out) => {
        const report = await node.verify({ onProgress: ({ blocks }) => out.note(`checked ${blocks} blocks…`) })
        out.result(report, r => [
          `${r.capsules} capsules, ${r.commits} commits, ${r.frames} frames, ${r.blocks} blocks`,
          ...r.problems.map(p => `PROBLEM ${p.problem} ${p.cid ?? ''}${p.capsule != null ? ` (capsule ${p.capsule})` : ''}: ${p.detail}`),
          r.ok ? 'ok' : `${r.problems.length} problem${r.problems.length === 1 ? '' : 's'}`
        ].join('\n'))
        if (!report.ok) process.exitCode = 1
      })
    })

  program.command('start')
    .description('run the node (offline in this version) until stopped')
    .action(async (_o, cmd: Command) => {
      const g = globals(cmd)
      const out = createOutput(g.json === true)
      const node = await createNode({ home: g.home, network: false })
      const capsules = []
      for (const c of await node.capsules()) capsules.push({ id: c.id, name: c.name, frames: (await node.state(c.id)).live.size, branches: c.branches })
      out.result({ did: node.did, home: node.home, network: false, capsules }, s => [
        'vivim node running (offline)',
        `did:      ${s.did}`,
        `home:     ${s.home}`,
        `capsules: ${s.capsules.length === 0 ? 'none yet (try: vivim put "hello")' : ''}`,
        ...s.capsules.map(c => `  ${c.name}  ${c.frames} frames  (${c.id})`),
        'press Ctrl-C to stop'
      ].join('\n'))
      await new Promise<void>((resolve) => {
        const stop = (): void => { resolve() }
        process.once('SIGINT', stop)
        process.once('SIGTERM', stop)
      })
      await node.stop()
      out.note('stopped')
    })

}
