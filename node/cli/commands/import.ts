import type { Command } from 'commander'
import { basename } from 'node:path'
import { withNode } from '../context.js'
import { createProgressBar, type ImportReport } from '../../capture/index.js'

function summary (file: string, r: ImportReport): string {
  const lines = [`${file}: ${r.format} — ${r.conversations} conversations, ${r.messages} messages; ${r.added} added, ${r.alreadyPresent} already present${r.branches > 0 ? `, ${r.branches} branches` : ''}${r.skipped.length > 0 ? `, ${r.skipped.length} skipped` : ''}`]
  for (const s of r.skipped.slice(0, 20)) lines.push(`  skipped ${JSON.stringify((s as any).position ?? '')}: ${(s as any).reason ?? ''}`)
  if (r.skipped.length > 20) lines.push(`  … and ${r.skipped.length - 20} more skipped`)
  return lines.join('\n')
}

export function registerImportCommands (program: Command): void {
  program.command('import')
    .description('import AI conversation exports and documents (format detected from content)')
    .argument('<file...>', 'export files, .zip archives or unzipped export folders (ChatGPT incl. chat.html and split exports, Claude incl. projects and memories, Gemini Takeout JSON or HTML, Google AI Studio, Grok, DeepSeek, Open WebUI, OpenAI messages JSONL, SillyTavern, ChatGPT share pages, Markdown, text, PDF)')
    .option('-f, --format <format>', 'force a format instead of detecting it (auto)')
    .option('-c, --capsule <name>', 'capsule to import into (default: one per provider)')
    .action(async (files: string[], o, cmd: Command) => {
      await withNode(cmd, async (node, out) => {
        const reports: Array<{ file: string } & ImportReport> = []
        for (const file of files) {
          const bar = createProgressBar({ label: basename(file), quiet: out.json })
          try {
            const r = await node.import(file, { format: o.format, capsule: o.capsule, onProgress: bar.onProgress })
            reports.push({ file, ...r })
          } finally {
            bar.stop()
          }
        }
        out.result(files.length === 1 ? reports[0] : reports, () => reports.map(r => summary(r.file, r)).join('\n'))
      })
    })
}
