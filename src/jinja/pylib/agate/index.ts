// agate, the table library dbt hands query results to macros in: the table (table.ts), its rows
// and columns, print_table's text, and the agate types of warehouse columns.
export { Column } from './column.js';
export { setAgateTableOutput, tableText, type TableOutput } from './print.js';
export { MappedSequence, Row } from './sequence.js';
export { AgateTable, typeNamesOf, type AgateTableOptions } from './table.js';
export { DataType } from './data-types.js';
export { agateTypeOf, cellValue, decimalToNumber, type AgateTypeName, type AgateTypeRules } from './values.js';
