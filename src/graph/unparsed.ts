// What failed to parse, so the errors that follow from it are not reported again: a model whose
// Jinja does not parse is one error, not one more "ref('m1') not found" for each of its children;
// a property file that does not load is one error, not one "source not found" per model reading
// a source it declares. Each root cause is reported once (its own error was already recorded).
import { escapeRegExp } from '../errors/did-you-mean.js';

export class Unparsed {
  /** Names of models, seeds and snapshots whose file or block failed to parse. */
  private readonly nodes = new Set<string>();
  /** Texts of property files that failed to load. */
  private readonly propertyTexts: string[] = [];

  node(name: string): void {
    this.nodes.add(name);
  }

  /** A snapshot file that failed before its blocks were read: every `{% snapshot name %}` in it. */
  snapshotFile(text: string): void {
    for (const match of text.matchAll(/\{%-?\s*snapshot\s+([A-Za-z_][A-Za-z0-9_]*)/g)) this.nodes.add(match[1] as string);
  }

  propertyFile(text: string): void {
    this.propertyTexts.push(text);
  }

  /** True when `ref(name)` may have failed only because its node did not parse. */
  explainsRef(name: string): boolean {
    return this.nodes.has(name) || this.propertyTexts.some((text) => namesEntry(text, name));
  }

  /** True when `source(s, t)` may be missing only because the property file declaring it did not load. */
  explainsSource(sourceName: string, tableName: string): boolean {
    return this.propertyTexts.some((text) => namesEntry(text, sourceName) && namesEntry(text, tableName));
  }
}

/** `name: x` (quoted or not, as a list item or a key) somewhere in a YAML text. */
function namesEntry(text: string, name: string): boolean {
  return new RegExp(`(^|[\\s{,-])name\\s*:\\s*['"]?${escapeRegExp(name)}['"]?\\s*($|[,}#\\n])`, 'm').test(text);
}
