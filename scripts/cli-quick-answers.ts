// `tsdbt --version` and `tsdbt --help` (or -v, -h) alone, answered by the bundle's entry (bin.js,
// scripts/cli-bundle-loader.ts) from the text the build recorded, without reading cli.cjs: reading
// and decoding its 2.5 MB, deserialising its code cache and building commander's program was
// ~0.1 s of CPU of every `tsdbt --version` (issue 18: start-up under 0.1 s). scripts/bundle-cli.ts
// records the text by running the built cli.cjs itself (commander's own output), so it is never
// written twice. Commander wraps the help to the terminal's width, 80 where stdout is no terminal:
// the recorded help is the 80-column one, so any other width (and any other argument) runs the CLI.

/** What the build recorded: the version line and the help as commander printed them at 80 columns. */
export interface QuickAnswers {
  version: string;
  help80: string;
}

/**
 * The text to print for `args` (process.argv after the script), or undefined when the CLI must
 * run. `columns`: stdout's width when it is a terminal (undefined when it is not), as commander
 * reads it.
 */
export function quickAnswer(args: readonly string[], columns: number | undefined, answers: QuickAnswers): string | undefined {
  if (args.length !== 1) return undefined;
  const [arg] = args;
  if (arg === '--version' || arg === '-v') return answers.version;
  if ((arg === '--help' || arg === '-h') && (columns ?? 80) === 80) return answers.help80;
  return undefined;
}
