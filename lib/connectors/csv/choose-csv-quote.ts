export interface ChosenQuote {
  quote: string;
  escape: string;
  quoteConfidence: number;
  quoteNote: string;
  escapeConfidence: number;
  escapeNote: string;
}

// '-' too: the delimiter also goes inside character classes, where "a-z" would be a range.
const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');

/**
 * Double quotes unless the sample shows fields wrapped in single quotes and no double
 * quote at all. The escape is the quote doubled (RFC 4180) unless backslash-quote appears
 * inside fields and a doubled quote never does (MySQL's SELECT … INTO OUTFILE style).
 */
export function chooseCsvQuote(text: string, delimiter: string): ChosenQuote {
  const d = escapeRegex(delimiter);
  const wrapped = (quote: string) => (text.match(new RegExp(`(?:^|${d})${quote}[^${quote}\\r\\n]*${quote}(?=${d}|\\r|\\n|$)`, 'gm')) ?? []).length;
  const doubleWrapped = wrapped('"');
  const singleWrapped = wrapped("'");
  const quote = !text.includes('"') && singleWrapped > 0 ? "'" : '"';
  const quoteNote =
    quote === "'" ? `${singleWrapped} fields are wrapped in single quotes and no double quote appears` : doubleWrapped > 0 || text.includes('"') ? 'fields are wrapped in double quotes' : 'no quoted fields in the sample: double quotes, the standard';
  const quoteConfidence = quote === "'" ? 0.7 : text.includes('"') ? 0.9 : 0.6;

  const q = escapeRegex(quote);
  // A doubled quote that is not an empty field ("" between delimiters) is an escaped quote.
  const doubled = (text.match(new RegExp(`[^${d}\\r\\n]${q}${q}|${q}${q}[^${d}\\r\\n]`, 'g')) ?? []).length;
  const backslashed = (text.match(new RegExp(`\\\\${q}[^${d}\\r\\n]`, 'g')) ?? []).length;
  if (backslashed > 0 && doubled === 0) {
    return { quote, escape: '\\', quoteConfidence, quoteNote, escapeConfidence: 0.7, escapeNote: `${backslashed} quotes are escaped with a backslash` };
  }
  return { quote, escape: quote, quoteConfidence, quoteNote, escapeConfidence: doubled > 0 ? 0.9 : 0.6, escapeNote: doubled > 0 ? 'quotes inside fields are doubled' : 'no escaped quote in the sample: doubled quotes, the standard' };
}
