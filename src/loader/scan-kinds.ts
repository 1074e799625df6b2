// What fast-decode.ts found in a message for each column: the kind of JSON value, shared by the
// writers of its rows in COPY's text format (fast-decode.ts) and binary format (copy-binary.ts).
export const MISSING = 0;
export const STRING = 1;
/** An integer whose text is the one String(Number(text)) gives (at most 15 digits). */
export const NUMBER = 2;
/** A number whose text is not the one String(Number(text)) gives (a fraction, an exponent, -0, 16+ digits). */
export const NUMBER_OTHER = 3;
export const TRUE = 4;
export const FALSE = 5;
export const NULL = 6;
