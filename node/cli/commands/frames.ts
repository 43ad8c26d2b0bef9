import type { Command } from 'commander'
import { withNode } from '../context.js'
import { collect, parseAsOf, parseTags, parseTime, readStdin } from '../output.js'
import type { FrameView } from '../../interface.js'

function showFrame (f: FrameView): string {
  const lines = [`cid       ${f.cid}`, `kind      ${f.kind}`, `time      ${new Date(f.time).toISOString()}`, `capsule   ${f.capsule}`]
  if (f.title != null) lines.push(`title     ${f.title}`)
  if (f.uri != null) lines.push(`uri       ${f.uri}`)
  if (f.role != null) lines.push(`role      ${f.role}`)
  for (const [k, v] of Object.entries(f.tags)) lines.push(`tag       ${k}=${v}`)
  if (f.supersedes != null) lines.push(`replaces  ${f.supersedes}`)
  lines.push('', f.text)
  return lines.join('\n')
}

export function registerFrameCommands (program: Command): void {
  program.command('put')
    .description('store a frame (text from the argument, else stdin)')
    .argument('[text]', 'the text; read from stdin when absent')
    .option('-c, --capsule <name>', 'capsule name or id (created on first use)')
    .option('-b, --branch <name>', 'branch (default main)')
    .option('--title <title>', 'title')
    .option('--uri <uri>', 'source URI')
    .option('-t, --tag <key=value>', 'tag (repeatable)', collect)
    .option('--kind <kind>', 'frame kind: message, note, document, passage, acu, memory, tombstone')
    .option('--time <when>', 'when it happened: ms or ISO date (default now)')
    .option('--role <role>', 'speaker role, for messages')
    .option('--conversation <id>', 'conversation id, for messages')
    .option('--supersedes <cid>', 'the frame this one replaces')
    .action(async (text: string | undefined, o, cmd: Command) => {
      const body = text ?? await readStdin()
      await withNode(cmd, async (node, out) => {
        const res = await node.put({ text: body, capsule: o.capsule, branch: o.branch, title: o.title, uri: o.uri, tags: parseTags(o.tag), kind: o.kind, time: o.time != null ? parseTime(o.time, '--time') : undefined, role: o.role, conversation: o.conversation, supersedes: o.supersedes })
        out.result(res, r => r.cid)
      })
    })

  program.command('get')
    .description('print a frame by CID (hash-checked)')
    .argument('<cid>')
    .action(async (cid: string, _o, cmd: Command) => {
      await withNode(cmd, async (node, out) => out.result(await node.get(cid), showFrame))
    })

  program.command('timeline')
    .description('live frames of a capsule in time order')
    .argument('[capsule]', 'capsule name or id', 'default')
    .option('-b, --branch <name>', 'branch (default main)')
    .option('--as-of <commit|time>', 'the state as of a commit CID or a time')
    .option('--since <time>', 'from this time (ms or ISO date)')
    .option('--until <time>', 'up to this time (ms or ISO date)')
    .option('-n, --limit <n>', 'at most n frames', (v) => Number.parseInt(v, 10))
    .option('-r, --reverse', 'newest first')
    .action(async (capsule: string, o, cmd: Command) => {
      await withNode(cmd, async (node, out) => {
        const frames: FrameView[] = []
        for await (const f of node.timeline(capsule, { branch: o.branch, asOf: parseAsOf(o.asOf), since: o.since != null ? parseTime(o.since, '--since') : undefined, until: o.until != null ? parseTime(o.until, '--until') : undefined, limit: o.limit, reverse: o.reverse === true })) frames.push(f)
        out.result(frames, fs => fs.map(f => `${new Date(f.time).toISOString()}  ${f.cid}  ${(f.title ?? f.text).replace(/\s+/g, ' ').slice(0, 80)}`).join('\n'))
      })
    })
}
