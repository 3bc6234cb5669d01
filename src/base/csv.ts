/** CSV as OFAC and spreadsheets write it. */

/** Splits CSV text into rows of fields, with the line each row starts on; quotes may hold commas, quotes ("") and line breaks. */
export function splitCsv(text: string): { rows: { line: number; fields: string[] }[]; problem?: { line: number; message: string } } {
  const rows: { line: number; fields: string[] }[] = [];
  let line = 1;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const startLine = line;
    const fields: string[] = [];
    let field = '';
    let quoted = false;
    for (;;) {
      if (i >= n) {
        if (quoted) return { rows, problem: { line: startLine, message: 'a quoted field is never closed (missing ")' } };
        fields.push(field);
        break;
      }
      const c = text[i]!;
      if (quoted) {
        if (c === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
          } else {
            quoted = false;
            i++;
          }
        } else {
          if (c === '\n') line++;
          field += c;
          i++;
        }
        continue;
      }
      if (c === '"' && field.trim() === '') {
        quoted = true;
        field = '';
        i++;
      } else if (c === ',') {
        fields.push(field);
        field = '';
        i++;
      } else if (c === '\r' || c === '\n') {
        fields.push(field);
        if (c === '\r' && text[i + 1] === '\n') i++;
        i++;
        line++;
        break;
      } else {
        field += c;
        i++;
      }
    }
    if (fields.length === 1 && fields[0]!.trim() === '') continue; // blank line
    rows.push({ line: startLine, fields });
  }
  return { rows };
}
