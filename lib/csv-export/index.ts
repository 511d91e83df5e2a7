export { CSV_NEWLINE, encodeCsvRows, FORMULA_START, UTF8_BOM, type CsvCell, type CsvRow } from "./encode";
export { keysetBatches } from "./keyset";
export { csvResponse, derivedFileName } from "./response";
export { csvStream } from "./stream";
