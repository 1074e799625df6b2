// TSDBT_TARBALL_MIRRORS: where `tarball:` packages are downloaded from instead of the URL written
// in packages.yml, as git's `url.<base>.insteadOf` does for git packages. The value is a list of
// `<url prefix>=<replacement prefix>` pairs separated by whitespace, e.g.
// `https://codeload.github.com/=http://mirror.internal/codeload/`; the longest matching prefix
// wins. Only the download goes to the mirror: package-lock.yml, messages and the download cache
// keep the URL as written.
import { TsdbtError } from '../errors/tsdbt-error.js';

export interface TarballMirror {
  prefix: string;
  replacement: string;
}

export function tarballMirrors(env: NodeJS.ProcessEnv): TarballMirror[] {
  const raw = env.TSDBT_TARBALL_MIRRORS?.trim();
  if (!raw) return [];
  return raw.split(/\s+/).map((pair) => {
    const eq = pair.indexOf('=');
    if (eq <= 0 || eq === pair.length - 1) {
      throw new TsdbtError(`TSDBT_TARBALL_MIRRORS has '${pair}', which is not <url prefix>=<replacement prefix>`, {
        code: 'deps-setting-invalid',
        hint: 'e.g. TSDBT_TARBALL_MIRRORS="https://codeload.github.com/=http://mirror.internal/codeload/" (pairs separated by spaces)',
      });
    }
    return { prefix: pair.slice(0, eq), replacement: pair.slice(eq + 1) };
  });
}

/** Where to download `url` from: through the longest mirror prefix it starts with, else itself. */
export function mirroredTarballUrl(url: string, mirrors: readonly TarballMirror[]): string {
  let best: TarballMirror | null = null;
  for (const m of mirrors) {
    if (url.startsWith(m.prefix) && (!best || m.prefix.length > best.prefix.length)) best = m;
  }
  return best ? best.replacement + url.slice(best.prefix.length) : url;
}
