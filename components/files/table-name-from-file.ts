/**
 * The table name a file is offered under: its name without the extension, in lower case,
 * accents dropped and anything else than letters and digits turned into one underscore
 * (`Customers export.csv` → `customers_export`), so mappings can name it without quoting.
 */
export function tableNameFromFile(fileName: string): string {
  const known = /\.(csv|tsv|txt)$/i;
  const base = known.test(fileName) ? fileName.replace(known, '') : fileName.replace(/\.[a-z0-9]{1,4}$/i, '');
  const name = base
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 63)
    .replace(/_+$/, '');
  if (name === '') return 'file';
  return /^[0-9]/.test(name) ? `t_${name}`.slice(0, 63) : name;
}
