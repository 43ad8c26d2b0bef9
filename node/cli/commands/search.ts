import type { Command } from 'commander'
import { withNode } from '../context.js'
import { collect, parseAsOf, parseTags, parseTime } from '../output.js'

export function registerSearchCommands (program: Command): void {
  program.command('search')
    .description('search your memory (BM25 with conversation-aware ranking, filters, natural-language time)')
    .argument('<query>')
    .option('-k, --top-k <n>', 'how many hits', (v) => Number.parseInt(v, 10))
    .option('-c, --capsule <name>', 'only this capsule (repeatable)', collect)
    .option('-t, --tag <key=value>', 'only frames with this tag (repeatable)', collect)
    .option('--uri-prefix <prefix>', 'only frames whose uri starts with this')
    .option('--since <time>', 'only frames from this time (ms or ISO date)')
    .option('--until <time>', 'only frames up to this time (ms or ISO date)')
    .option('--as-of <commit|time>', 'search the state as of a commit or a time')
    .option('--tz <zone>', 'IANA time zone for times in the query (default: the system\'s)')
    .action(async (query: string, o, cmd: Command) => {
      await withNode(cmd, async (node, out) => {
        const hits = await node.search(query, { topK: o.topK, capsule: o.capsule, tags: parseTags(o.tag), uriPrefix: o.uriPrefix, since: o.since != null ? parseTime(o.since, '--since') : undefined, until: o.until != null ? parseTime(o.until, '--until') : undefined, asOf: parseAsOf(o.asOf), timeZone: o.tz })
        out.result(hits, hs => hs.length === 0 ? 'no match' : hs.map((h, i) => `${i + 1}. ${h.score.toFixed(3)}  ${new Date(h.time).toISOString().slice(0, 10)}  ${h.cid}${h.uri != null ? `  ${h.uri}` : ''}\n   ${h.snippet.replace(/\s+/g, ' ')}`).join('\n'))
      })
    })

  program.command('context')
    .description('assemble the prompt context for a message under a token budget, with citations')
    .argument('<message>')
    .option('-B, --budget <tokens>', 'total token budget', (v) => Number.parseInt(v, 10))
    .option('-c, --capsule <name>', 'only this capsule (repeatable)', collect)
    .option('--as-of <commit|time>', 'use the state as of a commit or a time')
    .option('--tz <zone>', 'IANA time zone for times in the message')
    .action(async (message: string, o, cmd: Command) => {
      await withNode(cmd, async (node, out) => {
        const ctx = await node.context(message, { budget: o.budget, capsule: o.capsule, asOf: parseAsOf(o.asOf), timeZone: o.tz })
        out.result(ctx, c => `${c.text}\n\n-- ${c.tokens} tokens; ${c.citations.length} citations\n${c.citations.map((x) => `[${x.n}] ${x.cid}${x.uri != null ? ` ${x.uri}` : ''}`).join('\n')}`)
      })
    })

  program.command('reindex')
    .description('rebuild the search index from the DAG')
    .action(async (_o, cmd: Command) => {
      await withNode(cmd, async (node, out) => {
        const r = await node.reindex({ onProgress: (n) => { if (n % 10_000 === 0) out.note(`indexed ${n} frames…`) } })
        out.result(r, x => `reindexed ${x.docs} frames`)
      })
    })
}
