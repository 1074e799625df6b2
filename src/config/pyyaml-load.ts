// The options that make the `yaml` package read as dbt's PyYAML SafeLoader does: pyyaml-options.ts
// (a repeated key keeps its last value, `<<` merges), PyYAML's booleans (`enabled: no` is false)
// and numbers (`010` is 8, `1e3` a string). Imports the `yaml` package, so modules on the CLI's start-up path use pyyaml-options.ts.
import { pyBooleans } from '../jinja/pyyaml-booleans.js';
import { pyNumbers } from '../jinja/pyyaml-numbers.js';
import { PYYAML_SAFE_LOAD } from './pyyaml-options.js';

export const PYYAML_LOAD = { ...PYYAML_SAFE_LOAD, customTags: (tags: Parameters<typeof pyBooleans>[0]) => pyNumbers(pyBooleans(tags)) };
