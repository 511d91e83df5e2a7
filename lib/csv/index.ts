export * from "./types";
export { ALLOWED_EXTENSIONS, checkFileName } from "./file-name";
export {
  HEADER_ALIASES,
  duplicateHeaders,
  fieldForHeader,
  matchHeaders,
  normaliseHeader,
  requireHeaders,
  type DuplicateHeader,
} from "./headers";
export { DELIMITERS, sniffLayout } from "./sniff";
export { countDataRecords } from "./count";
export {
  readRecordBatches,
  readRecords,
  streamRecords,
  type ReadPosition,
  type ReadRecordsOptions,
  type ReadRecordsResult,
} from "./records";
export {
  MAX_EMAIL_LENGTH,
  MAX_EMAIL_LOCAL_LENGTH,
  checkEmail,
  emailProblem,
  judgeEmail,
  normaliseEmail,
} from "./email";
export {
  KEPT_RAW_TEXT_LENGTH,
  KEPT_TEXT_LENGTH,
  KEPT_VALUE_LENGTH,
  MAX_VALUE_LENGTH,
  boundedCells,
  cellsFromFields,
  cutText,
  keptCells,
  malformedRow,
  normaliseFields,
  normaliseRecord,
  rawKeys,
  recordFields,
  valueProblem,
} from "./normalise";
export { MAX_QUOTED_BYTES, MAX_QUOTED_LINES } from "./scanner";
