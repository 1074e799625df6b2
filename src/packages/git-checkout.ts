// Checks out a git package with the system's git, as dbt does, at a tag, a branch or a commit:
// `clone --branch` takes tags and branches (shallow), a commit sha is fetched with the history and
// checked out. Returns the commit sha that package-lock.yml records. The URL may carry a token
// (`https://{{ env_var('DBT_ENV_SECRET_GIT_TOKEN') }}@host/...`): messages show `display`
// instead, and git's own output is scrubbed of the rendered URL and its credentials.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { TsdbtError } from '../errors/tsdbt-error.js';

/** How long one git command may take by default. */
export const GIT_TIMEOUT_SECONDS = 60;

/** The host (and port) a git URL points at, for messages: `https://h:1/x`, `ssh://u@h/x`, `u@h:x`. */
export function gitHost(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.host) return parsed.host;
  } catch {
    // scp-like syntax below
  }
  return /^(?:[^@/]+@)?([^:/]+):/.exec(url)?.[1] ?? url;
}

/** `revision` names a commit (7 to 40 hex digits) rather than a tag or branch. */
export function looksLikeSha(revision: string): boolean {
  return /^[0-9a-f]{7,40}$/i.test(revision);
}

export interface GitCheckout {
  /** The checked-out repository (or its subdirectory). */
  dir: string;
  /** The full commit sha. */
  sha: string;
  /** Remove it when done. */
  scratch: string;
}

export interface GitOptions {
  url: string;
  /** How the URL is shown (the unrendered template when it carried a secret). */
  display: string;
  revision: string | null;
  subdirectory: string | null;
  scratchParent: string;
  timeoutSeconds?: number;
  env: NodeJS.ProcessEnv;
}

function scrubber(url: string, display: string): (text: string) => string {
  const secrets: string[] = [url];
  try {
    const u = new URL(url);
    if (u.password) secrets.push(decodeURIComponent(u.password), u.password);
    if (u.username) secrets.push(decodeURIComponent(u.username), u.username);
  } catch {
    // not a URL: only the whole text is scrubbed
  }
  return (text) => {
    let out = text.split(url).join(display);
    for (const s of secrets.slice(1)) if (s.length >= 4) out = out.split(s).join('*****');
    return out;
  };
}

/** The line of git's output that says what failed: its first `fatal:` / `error:` line, else its last line. */
function gitReason(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  return lines.find((l) => /^(fatal|error):/.test(l)) ?? lines.pop() ?? '';
}

interface GitRun {
  ok: boolean;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  missing: boolean;
  status: number | null;
}

/** Runs git without blocking the event loop (an HTTP server in this process may be the remote). */
function runGit(args: string[], cwd: string | undefined, seconds: number, env: NodeJS.ProcessEnv): Promise<GitRun> {
  return new Promise((resolve) => {
    execFile('git', args, { cwd, encoding: 'utf8', timeout: seconds * 1000, killSignal: 'SIGKILL', maxBuffer: 16 * 1024 * 1024, env: { ...env, GIT_TERMINAL_PROMPT: '0' } }, (error, stdout, stderr) => {
      const err = error as (NodeJS.ErrnoException & { killed?: boolean; code?: string | number }) | null;
      resolve({
        ok: !err,
        stdout: String(stdout),
        stderr: String(stderr),
        timedOut: Boolean(err?.killed),
        missing: err?.code === 'ENOENT',
        status: typeof err?.code === 'number' ? err.code : err ? null : 0,
      });
    });
  });
}

export async function checkoutGit(options: GitOptions): Promise<GitCheckout> {
  const { url, display, revision, env } = options;
  const seconds = options.timeoutSeconds ?? GIT_TIMEOUT_SECONDS;
  const scrub = scrubber(url, display);
  const scratch = mkdtempSync(path.join(options.scratchParent, '.tsdbt-git-'));
  const repo = path.join(scratch, 'repo');
  /** `revisionStep`: the command that checks the revision out (a failure there is the revision's). */
  const git = async (args: string[], cwd?: string, revisionStep = false) => {
    const run = await runGit(args, cwd, seconds, env);
    if (run.ok) return run.stdout.trim();
    const why = run.timedOut
      ? `it did not finish within ${seconds} s (${gitHost(url)} did not answer, or too slowly)`
      : run.missing
        ? 'git is not installed (or not on PATH)'
        : gitReason(run.stderr) || `git exited with ${run.status}`;
    rmSync(scratch, { recursive: true, force: true });
    // The revision is not in the repository: dbt's GitCheckoutError ("Error checking out spec=...").
    if (revision && !run.timedOut && !run.missing && (revisionStep || /Remote branch .* not found|couldn't find remote ref/i.test(run.stderr))) {
      throw new TsdbtError(`Error checking out spec='${revision}' for repo ${display}: ${scrub(why)}`, {
        code: 'package-git-failed',
        hint: `give a tag, a branch or a full commit sha that the repository has (\`git ls-remote ${display}\` lists its tags and branches)`,
      });
    }
    throw new TsdbtError(`could not check out git package ${display}${revision && revision !== 'HEAD' ? ` at ${revision}` : ''}: ${scrub(why)}`, {
      code: 'package-git-failed',
      hint: run.missing
        ? 'install git, or vendor the package as `- local: <folder>`'
        : `check the URL and the revision (a tag, a branch or a full commit sha)${url.startsWith('file:') ? '' : `, and that ${gitHost(url)} is reachable`}; offline, vendor the package as \`- local: <folder>\``,
      retriable: run.timedOut,
    });
  };
  if (revision && looksLikeSha(revision)) {
    // `clone --branch` does not take a commit: clone the history, then check the commit out.
    await git(['clone', '--quiet', '--no-checkout', url, repo]);
    await git(['-c', 'advice.detachedHead=false', 'checkout', '--quiet', revision], repo, true);
  } else {
    await git(['clone', '--quiet', '--depth', '1', ...(revision && revision !== 'HEAD' ? ['--branch', revision] : []), url, repo]);
  }
  const sha = await git(['rev-parse', 'HEAD'], repo);
  rmSync(path.join(repo, '.git'), { recursive: true, force: true });
  const dir = options.subdirectory ? path.resolve(repo, options.subdirectory) : repo;
  if (path.relative(repo, dir).startsWith('..') || path.isAbsolute(path.relative(repo, dir))) {
    rmSync(scratch, { recursive: true, force: true });
    throw new TsdbtError(`the subdirectory '${options.subdirectory}' of git package ${display} is outside the repository`, { code: 'package-git-subdirectory', hint: 'give a folder inside the repository, e.g. subdirectory: packages/my_package' });
  }
  return { dir, sha, scratch };
}
