import type { Command } from 'commander'
import { withNode } from '../context.js'
import { parseAsOf, parseTime } from '../output.js'
import type { CommitView } from '../../interface.js'

function showCommit (c: CommitView): string {
  const what = c.frames.length > 0 ? `+${c.frames.length} frame${c.frames.length === 1 ? '' : 's'}` : 'merge'
  const rm = c.removes.length > 0 ? ` -${c.removes.length}` : ''
  const parents = c.parents.length > 1 ? `  (merge of ${c.parents.length})` : ''
  return `${c.cid}  ${new Date(c.time).toISOString()}  ${what}${rm}${parents}`
}

/** Parses a duration like 7d, 12h, 30m (from `now`), or an absolute time, into ms. */
export function parseExpiry (value: string, now = Date.now()): number {
  const m = /^(\d+)([smhdw])$/.exec(value)
  if (m != null) return now + Number(m[1]) * { s: 1e3, m: 6e4, h: 36e5, d: 864e5, w: 6048e5 }[m[2] as 's']
  return parseTime(value, '--expires')
}

export function registerCapsuleCommands (program: Command): void {
  program.command('log')
    .description('the commit history of a capsule, newest first')
    .argument('[capsule]', 'capsule name or id', 'default')
    .option('-b, --branch <name>', 'branch (default main)')
    .option('--as-of <commit|time>', 'history as of a commit CID or a time')
    .option('-n, --limit <n>', 'at most n commits', (v) => Number.parseInt(v, 10))
    .action(async (capsule: string, o, cmd: Command) => {
      await withNode(cmd, async (node, out) => {
        const log = await node.log(capsule, { branch: o.branch, asOf: parseAsOf(o.asOf), limit: o.limit })
        out.result(log, l => l.map(showCommit).join('\n'))
      })
    })

  const capsule = program.command('capsule').description('create, list, branch, merge, export and import capsules')

  capsule.command('create')
    .description('create a capsule')
    .argument('<name>')
    .option('--expires <when>', 'expiry: a duration (7d, 12h) or a time')
    .option('--retention <duration>', 'keep frames this long (e.g. 365d)')
    .option('--no-reshare', 'holders may not re-share it')
    .option('--private', 'encrypt its frames end to end (readers get keys when you share with them)')
    .action(async (name: string, o, cmd: Command) => {
      await withNode(cmd, async (node, out) => {
        const rules: Record<string, unknown> = {}
        if (o.expires != null) rules.expires = parseExpiry(o.expires)
        if (o.retention != null) rules.retention = parseExpiry(o.retention, 0)
        if (o.reshare === false) rules.reshare = false
        const info = await node.createCapsule(name, { rules, private: o.private === true })
        out.result(info, i => `${i.id}  ${i.name}`)
      })
    })

  capsule.command('list')
    .description('list capsules with their live frame counts')
    .action(async (_o, cmd: Command) => {
      await withNode(cmd, async (node, out) => {
        const rows = []
        for (const c of await node.capsules()) rows.push({ ...c, frames: (await node.state(c.id)).live.size })
        out.result(rows, rs => rs.length === 0 ? 'no capsules yet' : rs.map(c => `${c.id}  ${c.name}  ${c.frames} frames  branches: ${c.branches.join(', ')}`).join('\n'))
      })
    })

  capsule.command('branch')
    .description('create a branch')
    .argument('<capsule>')
    .argument('<name>', 'new branch name')
    .option('--from <branch|commit>', 'start from this branch or commit (default main)')
    .action(async (cap: string, name: string, o, cmd: Command) => {
      await withNode(cmd, async (node, out) => out.result(await node.branch(cap, name, { from: o.from }), r => `${r.branch} at ${r.heads.join(', ') || '(empty)'}`))
    })

  capsule.command('merge')
    .description('merge a branch into another (or join concurrent heads)')
    .argument('<capsule>')
    .option('--from <branch>', 'branch to merge in (default: join the heads of --into)')
    .option('--into <branch>', 'branch to merge into (default main)')
    .action(async (cap: string, o, cmd: Command) => {
      await withNode(cmd, async (node, out) => out.result(await node.merge(cap, { from: o.from, into: o.into }), r => r.commit != null ? `merged: ${r.commit}` : r.fastForward ? `fast-forward to ${r.heads.join(', ')}` : 'already up to date'))
    })
}
