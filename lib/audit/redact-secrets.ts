/**
 * What the audit log never stores or shows: the value of any field whose name says it is
 * a secret, at any depth, in objects and in arrays.
 *
 * The rule works on the words of a field name (camelCase, snake_case, kebab-case and
 * dotted names are split: `apiKey`, `API_KEY`, `x-api-key` are all "api key"):
 * - a name containing password, passwd, passphrase, secret, token or credential anywhere
 *   (`dbPassword`, `clientSecret`, `accessToken`, `FERRY_SECRET_KEY`), or with a word
 *   pass, pwd, authorization or cookie, is secret;
 * - "key" alone is not: Ferry's configuration is full of database keys (`key`,
 *   `sourceKey`, `primaryKey`, `keyColumns`, `sortKey`). A key is secret when a word that
 *   makes it one comes right before it: `apiKey`, `privateKey`, `accessKey`, `sslKey`,
 *   `encryptionKey`, also written as one word (`apikey`, `privatekey`).
 * A secret field's value is replaced whole (objects and arrays too), except null and
 * booleans, which cannot hold a secret: flags such as `hasPassword` or `passwordChanged`
 * stay readable.
 */
const SECRET_SUBSTRINGS = /password|passwd|passphrase|secret|token|credential/;
const SECRET_WORDS = new Set(['pass', 'pwd', 'authorization', 'cookie', 'cookies']);
const KEY_QUALIFIERS = [
  'api', 'private', 'secret', 'access', 'encryption', 'encrypt', 'decryption', 'signing', 'sign', 'master', 'client',
  'session', 'auth', 'pass', 'ssh', 'ssl', 'tls', 'hmac', 'crypto', 'cipher', 'shared', 'license', 'licence', 'subscription',
];
const KEY_QUALIFIER_SET = new Set(KEY_QUALIFIERS);
const QUALIFIED_KEY_WORD = new RegExp(`^(?:${KEY_QUALIFIERS.join('|')})keys?$`);

export const REDACTED = '[redacted]';
/** Deeper than any configuration Ferry audits; past it the rest is dropped rather than walked. */
const MAX_DEPTH = 64;

/** The lower-case words of a field name: `apiKey` → [api, key], `API_KEY` → [api, key], `sslCaCertificate` → [ssl, ca, certificate]. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

export function isSecretName(name: string): boolean {
  const words = nameWords(name);
  if (SECRET_SUBSTRINGS.test(words.join(''))) return true;
  return words.some(
    (word, i) => SECRET_WORDS.has(word) || QUALIFIED_KEY_WORD.test(word) || ((word === 'key' || word === 'keys') && i > 0 && KEY_QUALIFIER_SET.has(words[i - 1])),
  );
}

function redact(value: unknown, depth: number): unknown {
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  if (depth >= MAX_DEPTH) return REDACTED;
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  return Object.fromEntries(
    Object.entries(value).map(([name, item]) => [
      name,
      isSecretName(name) ? (item === null || item === undefined || typeof item === 'boolean' ? item : REDACTED) : redact(item, depth + 1),
    ]),
  );
}

/** A copy of `value` with every secret-named field's value replaced by "[redacted]". */
export const redactSecrets = (value: unknown): unknown => redact(value, 0);
