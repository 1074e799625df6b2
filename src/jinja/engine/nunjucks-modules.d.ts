// nunjucks' lexer and parser modules, which nunjucks' type definitions do not describe: their
// exports are typed where they are read (nunjucks-internals.ts).
declare module 'nunjucks/src/lexer.js' {
  const lexer: unknown;
  export default lexer;
}
declare module 'nunjucks/src/parser.js' {
  const parser: unknown;
  export default parser;
}
