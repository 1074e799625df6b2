// Splits a conformance `--step` command line into words the way a POSIX shell does, without running
// one: '...' keeps everything literally, "..." keeps everything but a backslash-escaped character,
// a backslash outside quotes escapes the next character, and quoted and unquoted pieces that touch
// form one word. Upstream CI scripts nest quotes this way, e.g. snowplow-web's
// `--vars '{snowplow__start_date: '2023-03-01', n: 50}'`, one word to bash.

/** A command line split into words, with shell quoting rules; throws on an unclosed quote. */
export function splitWords(line: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  let i = 0;
  while (i < line.length) {
    const c = line[i]!;
    if (/\s/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
      i++;
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new Error(`unclosed ' in: ${line}`);
      word = (word ?? '') + line.slice(i + 1, end);
      i = end + 1;
    } else if (c === '"') {
      let piece = '';
      let j = i + 1;
      for (; j < line.length && line[j] !== '"'; j++) {
        if (line[j] === '\\' && j + 1 < line.length) j++;
        piece += line[j];
      }
      if (j >= line.length) throw new Error(`unclosed " in: ${line}`);
      word = (word ?? '') + piece;
      i = j + 1;
    } else if (c === '\\' && i + 1 < line.length) {
      word = (word ?? '') + line[i + 1];
      i += 2;
    } else {
      word = (word ?? '') + c;
      i++;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}
