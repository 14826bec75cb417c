/**
 * Names of the slot and publication Ferry creates for one sync: `ferry_<id>`. Slot names
 * may only hold lower-case letters, digits and underscores (63 bytes at most), so ids are
 * folded into that alphabet; the same rule holds for publications so both are always
 * safe to write into replication commands unquoted-or-quoted alike.
 */
const CAPTURE_NAME = /^[a-z0-9_]{1,63}$/;

export function captureNames(id: string): { slotName: string; publicationName: string } {
  const folded = id.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  if (!folded) throw new Error('A change-capture id must not be empty');
  const name = `ferry_${folded}`.slice(0, 63);
  return { slotName: name, publicationName: name };
}

export function assertCaptureName(name: string): void {
  if (!CAPTURE_NAME.test(name)) throw new Error(`"${name}" is not a valid slot or publication name (a-z, 0-9 and _, at most 63)`);
}
