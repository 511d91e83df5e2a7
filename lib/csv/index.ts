export * from "./types";
export { ALLOWED_EXTENSIONS, checkFileName } from "./file-name";
export { HEADER_ALIASES, fieldForHeader, matchHeaders, normaliseHeader, requireHeaders } from "./headers";
export { DELIMITERS, sniffLayout } from "./sniff";
export { readRecords, streamRecords, type ReadRecordsOptions, type ReadRecordsResult } from "./records";
export { checkEmail, emailProblem, normaliseEmail } from "./email";
export { hashRow, normaliseFields, normaliseRecord, rawKeys, recordFields } from "./normalise";
