/**
 * Deterministic contacts files for tests and the benchmark: about 2% of rows repeat the previous
 * row's email under another name (DUPLICATE_EMAIL), and 1 row in 1000 has a malformed email.
 */
const FIRST = ["Ana", "Bruno", "Carla", "Diego", "Elena", "Felipe", "Gabi", "Hugo", "Iris", "João", "Karin", "Luís"];
const LAST = ["Silva", "Souza", "Oliveira", "Santos", "Pereira", "Lima", "Costa", "Gomes", "Ribeiro", "Martins"];
const COMPANY = ["Acme", "Globex", "Initech", "Umbrella", "Hooli", "Vandelay", "Stark", "Wayne"];

export type GeneratedCounts = { rows: number; duplicateEmails: number; invalidEmails: number };

export function contactLine(index: number): string {
  const first = FIRST[index % FIRST.length] ?? "Ana";
  const last = LAST[Math.floor(index / FIRST.length) % LAST.length] ?? "Silva";
  const company = COMPANY[index % COMPANY.length] ?? "Acme";
  if (index % 1000 === 999) return `user${index}.example.com,${first},${last},${company}\n`;
  if (index % 50 === 49) return `user${index - 1}@example.com,Other${index},${last},${company}\n`;
  return `user${index}@example.com,${first},${last},${company}\n`;
}

export const CONTACTS_HEADER = "email,first_name,last_name,company\n";

/** The file in pieces of about `pieceRows` rows, so even a million rows never sit in memory at once. */
export function* contactsFile(rows: number, pieceRows = 10_000): Generator<string> {
  let piece = CONTACTS_HEADER;
  for (let index = 0; index < rows; index += 1) {
    piece += contactLine(index);
    if ((index + 1) % pieceRows === 0) {
      yield piece;
      piece = "";
    }
  }
  if (piece) yield piece;
}

export function expectedCounts(rows: number): GeneratedCounts {
  let duplicateEmails = 0;
  let invalidEmails = 0;
  for (let index = 0; index < rows; index += 1) {
    if (index % 1000 === 999) invalidEmails += 1;
    else if (index % 50 === 49 && (index - 1) % 1000 !== 999) duplicateEmails += 1;
  }
  return { rows, duplicateEmails, invalidEmails };
}
