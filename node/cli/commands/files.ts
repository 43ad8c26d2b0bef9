// `vivim capsule export|import`, `vivim verify FILE`, `vivim forget`, `vivim gc`.
import type { Command } from 'commander'
import { globals, withNode } from '../context.js'
import { CliError, createOutput, parseAsOf } from '../output.js'
import { verifyCapsuleFile, type FileReport } from '../../files/index.js'
import { newPassphrase, readPassphrase } from '../passphrase.js'
import { nativeVerifier } from '../../signatures/index.js'

function showReport (r: FileReport): string {
  return [
    `${r.encrypted ? 'encrypted ' : ''}capsule file: ${r.name ?? '?'} ${r.capsule ?? ''}`,
    `owner ${r.owner ?? '?'}, exported by ${r.exporter ?? '?'}`,
    `${r.commits} commits, ${r.frames} frames, ${r.forgotten} forgotten, ${r.blocks} blocks`,
    ...Object.entries(r.branches).map(([b, hs]) => `branch ${b}: ${hs.join(', ') || '(empty)'}`),
    ...r.problems.map(p => `PROBLEM ${p.error}${p.cid != null ? ` ${p.cid}` : ''}: ${p.detail}`),
    r.ok ? 'ok' : `${r.problems.length} problem${r.problems.length === 1 ? '' : 's'}`
  ].join('\n')
}

/** `vivim verify FILE`: checks a capsule file without importing it; exit code 1 on any problem. */
export async function verifyFileCommand (file: string, o: { passphraseFile?: string }, cmd: Command): Promise<void> {
  // No node is opened: checking a file needs no home (and works while a node runs).
  const out = createOutput(globals(cmd).json === true)
  const report = await verifyCapsuleFile(file, { verifier: nativeVerifier(), now: Date.now }, { passphrase: readPassphrase(o.passphraseFile) })
  out.result(report, showReport)
  if (!report.ok) process.exitCode = 1
}

export function registerFileCommands (program: Command): void {
  const capsule = program.commands.find(c => c.name() === 'capsule') ?? program.command('capsule').description('capsule operations')

  capsule.command('export')
    .description('write a capsule (history, branches) as one CAR file; --encrypt wraps it in an authenticated stream')
    .argument('<capsule>', 'capsule name or id')
    .argument('<file>', 'the file to write')
    .option('--as-of <commit|time>', 'the history as of a commit CID or a time')
    .option('-b, --branch <name>', 'this branch only (default: every branch)')
    .option('--encrypt', 'encrypt with a passphrase (asked, or --passphrase-file)')
    .option('--passphrase-file <file>', 'read the passphrase from this file (never from an argument)')
    .action(async (name: string, file: string, o, cmd: Command) => {
      if (o.passphraseFile != null && o.encrypt !== true) throw new CliError('--passphrase-file needs --encrypt', 2)
      const encrypt = o.encrypt === true ? { passphrase: await newPassphrase(o.passphraseFile) } : undefined
      await withNode(cmd, async (node, out) => {
        const r = await node.exportCapsule(name, file, { asOf: parseAsOf(o.asOf), branch: o.branch, encrypt })
        out.result(r, x => `${x.encrypted ? 'encrypted ' : ''}${file}: ${x.commits} commits, ${x.frames} frames${x.forgotten > 0 ? `, ${x.forgotten} forgotten` : ''}, ${x.bytes} bytes\nbranches: ${Object.keys(x.branches).join(', ')}`)
      })
    })

  capsule.command('import')
    .description('import a capsule file after checking every block, signature and rule; merges with what the node holds')
    .argument('<file>')
    .option('--passphrase-file <file>', 'passphrase for an encrypted file (else asked on the terminal)')
    .action(async (file: string, o, cmd: Command) => {
      await withNode(cmd, async (node, out) => {
        const r = await node.importCapsule(file, { passphrase: readPassphrase(o.passphraseFile) })
        out.result(r, x => `${x.created ? 'imported' : 'merged'} ${x.name} (${x.capsule}): +${x.commits.added} commits, +${x.frames.added} frames`)
      })
    })

  program.command('forget')
    .description('forget frames: tombstone them on every branch, then delete their blocks (gc)')
    .argument('[cids...]', 'frame CIDs')
    .option('-q, --query <text>', 'forget the frames whose text or title contains this')
    .option('-c, --capsule <name>', 'with --query: only this capsule')
    .option('--no-gc', 'only tombstone; leave the blocks for a later `vivim gc`')
    .action(async (cids: string[], o, cmd: Command) => {
      if ((cids.length === 0) === (o.query == null)) throw new CliError('give frame CIDs or --query, not both', 2)
      await withNode(cmd, async (node, out) => {
        const target = o.query != null ? { query: o.query as string, capsule: o.capsule as string | undefined } : cids
        const r = await node.forget(target, { gc: o.gc !== false })
        out.result(r, x => [...x.forgotten.map(c => `forgot ${c}`), ...x.already.map(c => `already forgotten ${c}`), x.gc != null ? `deleted ${x.gc.deleted.length} blocks (${x.gc.bytes} bytes)` : 'blocks stay until `vivim gc`', ...(x.keysDestroyed > 0 ? [`destroyed ${x.keysDestroyed} frame keys: older exports no longer open these frames`] : [])].join('\n'))
      })
    })

  program.command('gc')
    .description('apply retention rules and delete the blocks of forgotten frames')
    .option('--superseded', 'also delete older versions of updated frames (time travel then lacks them)')
    .action(async (o, cmd: Command) => {
      await withNode(cmd, async (node, out) => {
        const r = await node.gc({ superseded: o.superseded === true })
        out.result(r, x => `deleted ${x.deleted.length} blocks (${x.bytes} bytes)${x.expiredByRetention.length > 0 ? `; ${x.expiredByRetention.length} frames past retention tombstoned` : ''}${x.keysDestroyed > 0 ? `; destroyed ${x.keysDestroyed} frame keys` : ''}`)
      })
    })
}
