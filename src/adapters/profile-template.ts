// What `tsdbt init` asks to write a profile target for an adapter, in the shape of dbt's
// profile_template.yml: fixed keys written as they are, then prompts in order (a hint, a default,
// int / bool / string, hidden input for passwords). Each adapter folder exports its own.
export interface ProfilePrompt {
  /** The key written into the target (`host`, `port`, ...). */
  key: string;
  hint?: string;
  default?: string | number | boolean;
  type?: 'string' | 'int' | 'bool';
  /** A password: not echoed on a terminal. */
  hideInput?: boolean;
}

export interface ProfileTemplate {
  /** The choice `tsdbt init` lists (`postgres`, `pglite`, `clickhouse`, `chdb`). */
  name: string;
  /** One line on what it is. */
  description: string;
  fixed: Record<string, string | number | boolean>;
  prompts: ProfilePrompt[];
}
