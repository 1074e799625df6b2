// An ESLint for code snippets linted as if they were files of the project (`lintText` with a file
// path that does not exist): the project's config, without the type-aware rules, since
// typescript-eslint's project service knows only files on disk.
import { ESLint } from 'eslint';
import { TYPE_AWARE_RULES } from '../../eslint.config.js';

export function snippetLinter(root: string): ESLint {
  const off = Object.fromEntries(Object.keys(TYPE_AWARE_RULES).map((rule) => [rule, 'off' as const]));
  return new ESLint({ cwd: root, overrideConfig: { languageOptions: { parserOptions: { projectService: false } }, rules: off } });
}
