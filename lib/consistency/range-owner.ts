/** One attempt of one range of a verify run: what its diffs, claimed keys and counters are tagged with. */
export interface RangeOwner {
  reportId: string;
  rangeId: string;
  attempt: number;
  mappingId: string;
}
