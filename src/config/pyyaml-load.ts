// The options that make the `yaml` package read as dbt's PyYAML SafeLoader does: pyyaml-options.ts
// (a repeated key keeps its last value, `<<` merges) and PyYAML's booleans (`enabled: no` is
// false). Imports the `yaml` package, so modules on the CLI's start-up path use pyyaml-options.ts.
import { pyBooleans } from '../jinja/pyyaml-booleans.js';
import { PYYAML_SAFE_LOAD } from './pyyaml-options.js';

export const PYYAML_LOAD = { ...PYYAML_SAFE_LOAD, customTags: pyBooleans };
