/**
 * A record's text with its whitespace made visible, so a stray quote, tab or carriage return can be
 * seen: spaces as ·, tabs as →, a no-break space as ⍽, a carriage return as ␍ and a line feed as ␊
 * (still breaking the line, so a record read across lines shows them).
 */
export function visibleWhitespace(text: string): string {
  return text.replace(/[ \t\u00a0\r\n]/g, (char) => {
    switch (char) {
      case " ":
        return "·";
      case "\t":
        return "→";
      case "\u00a0":
        return "⍽";
      case "\r":
        return "␍";
      default:
        return "␊\n";
    }
  });
}
