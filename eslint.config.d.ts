// Types for what test/support/snippet-linter.ts imports from eslint.config.js.
import type { Linter } from 'eslint';

export declare const TYPE_AWARE_RULES: Linter.RulesRecord;
declare const config: Linter.Config[];
export default config;
