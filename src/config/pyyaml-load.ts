// The options that make the `yaml` package read as dbt's PyYAML SafeLoader does: pyyaml-options.ts
// (a repeated key keeps its last value, `<<` merges), PyYAML's booleans (`enabled: no` is false)
// and numbers (`010` is 8, `1e3` a string). Imports the `yaml` package, so modules on the CLI's start-up path use pyyaml-options.ts.
import { pyBooleans } from '../jinja/pyyaml-booleans.js';
import { pyNumbers } from '../jinja/pyyaml-numbers.js';
import { pyTimestamps } from '../jinja/pyyaml-timestamps.js';
import { PYYAML_SAFE_LOAD } from './pyyaml-options.js';

/**
 * PYYAML_LOAD plus PyYAML's implicit timestamps (`2022-11-17` is a date), for the YAML dbt reads
 * from the command line (`--vars`, `--args`), whose values reach templates as they are.
 */
export const PYYAML_CLI_LOAD = {
  ...PYYAML_SAFE_LOAD,
  customTags: (tags: Parameters<typeof pyBooleans>[0]) => pyTimestamps(pyNumbers(pyBooleans(tags))),
};

export const PYYAML_LOAD = { ...PYYAML_SAFE_LOAD, customTags: (tags: Parameters<typeof pyBooleans>[0]) => pyNumbers(pyBooleans(tags)) };
