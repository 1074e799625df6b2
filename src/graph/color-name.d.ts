// Types of the `color-name` package (the CSS/HTML color names, each with its RGB triple).
declare module 'color-name' {
  const colors: Readonly<Record<string, readonly [number, number, number]>>;
  export default colors;
}
