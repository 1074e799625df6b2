// Jinja2's syntax errors about block structure, in its words (parser.py's _fail_ut_eof): a template
// that ends inside a block, and a tag the parser does not know where it stands (a stray or
// misnested end tag), each naming the end tags looked for and the innermost block still open.

/** A block the template ends inside: Jinja2's message, the block's opening line and what closes it. */
export class UnclosedBlockError extends Error {
  constructor(
    message: string,
    readonly lineno: number,
    readonly hint: string,
  ) {
    super(message);
  }
}

/** The tags Jinja2 ends a block's body at (nunjucks also stops an if at `elseif`, which Jinja2 has not). */
export function jinjaEndTags(names: string[]): string[] {
  return names.filter((name) => name !== 'elseif');
}

/** The block a body ends with `end<tag>`: its end tag and its tag. */
function blockOf(looking: string[]): { end: string; tag: string } {
  const end = looking.find((name) => name.startsWith('end')) ?? looking[0] ?? '';
  return { end, tag: end.replace(/^end/, '') };
}

const quoted = (names: string[]): string => names.map((n) => `'${n}'`).join(' or ');

export function unclosedBlock(names: string[], line: number): UnclosedBlockError {
  const looking = jinjaEndTags(names);
  const { end, tag } = blockOf(looking);
  const message = `Unexpected end of template. Jinja was looking for the following tags: ${quoted(looking)}. The innermost block that needs to be closed is '${tag}'.`;
  return new UnclosedBlockError(message, line, `close the {% ${tag} %} on line ${line} with {% ${end} %}`);
}

/** Jinja2's words for a tag it does not know where it stands (parser.py's fail_unknown_tag). */
export function unknownTag(name: string, lookingFor: string[][]): string {
  const current = lookingFor[lookingFor.length - 1];
  if (!current) return `Encountered unknown tag '${name}'.`;
  const nesting = lookingFor.some((ends) => ends.includes(name));
  const looking = nesting ? `You probably made a nesting mistake. Jinja is expecting this tag, but currently looking for ${quoted(current)}.` : `Jinja was looking for the following tags: ${quoted(current)}.`;
  return `Encountered unknown tag '${name}'. ${looking} The innermost block that needs to be closed is '${blockOf(current).tag}'.`;
}
