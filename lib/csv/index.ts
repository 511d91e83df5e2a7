export * from "./types";
export { ALLOWED_EXTENSIONS, checkFileName } from "./file-name";
export { HEADER_ALIASES, fieldForHeader, matchHeaders, normaliseHeader, requireHeaders } from "./headers";
export { DELIMITERS, sniffLayout } from "./sniff";
export { readRecordBatches, readRecords, streamRecords, type ReadPosition, type ReadRecordsOptions, type ReadRecordsResult } from "./records";
export { checkEmail, emailProblem, normaliseEmail } from "./email";
export { cellsFromFields, keptCells, normaliseFields, normaliseRecord, rawKeys, recordFields } from "./normalise";
