// The run's adapter, created and its login started as soon as the profile is read, while the
// project still loads (issue 18: the first statement of `tsdbt run` waited for the whole load, then
// for the TCP connect and the SCRAM login's three round trips). Only where the adapter's
// registration allows it (a server: AdapterRegistration.connectsAhead); the load hands the event
// loop a turn between its steps (project-loader.ts loadProjectYielding), so the login's messages go
// and come meanwhile. The adapter's context is completed when the run takes it (openAdapter): its
// query comment needs the parse, and nothing before the login's end sends a statement. A command
// that ends before taking it (a parse error, nothing selected) closes it.
import type { Adapter, AdapterContext, AdapterTargetConfig } from '../adapters/adapter.js';
import { connectsAhead, createAdapter } from '../adapters/index.js';

export class EarlyAdapter {
  private adapter: Promise<Adapter> | null = null;
  private context: AdapterContext | null = null;
  private target: AdapterTargetConfig | null = null;
  private taken = false;

  constructor(private readonly projectDir: string) {}

  /** loadProject's onTarget: creates the target's adapter and starts its login, where its kind allows. */
  readonly open = (target: AdapterTargetConfig, targetDir: string): void => {
    if (this.adapter || !connectsAhead(target)) return;
    this.target = target;
    this.context = { projectDir: this.projectDir, targetDir };
    this.adapter = createAdapter(target, this.context);
    // A failure (to create, to log in) is met where the run uses the adapter, as without this.
    this.adapter.then((adapter) => adapter.connectAhead?.(), () => undefined);
  };

  /** The adapter opened for `target`, its context now `context`; null when none was (or another target is asked). */
  take(target: AdapterTargetConfig, context: AdapterContext): Promise<Adapter> | null {
    if (!this.adapter || this.taken || target !== this.target || !this.context) return null;
    this.taken = true;
    Object.assign(this.context, context);
    return this.adapter;
  }

  /** Closes the adapter unless the run took it (the command ended before it needed one). */
  discard(): Promise<void> {
    if (!this.adapter || this.taken) return Promise.resolve();
    this.taken = true;
    return this.adapter.then((adapter) => adapter.close(), () => undefined).catch(() => undefined);
  }
}
