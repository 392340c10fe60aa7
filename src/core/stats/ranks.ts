// Ranking with ties, shared by the rank tests (Mann–Whitney) and tie corrections.

export interface Ranked {
  /** 1-based ranks, ties get the average of the ranks they span; same order as the input. */
  ranks: Float64Array;
  /** Size of every group of tied values (groups of 1 are left out). */
  ties: number[];
}

export function rankWithTies(values: readonly number[]): Ranked {
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[a] - values[b]);
  const ranks = new Float64Array(n);
  const ties: number[] = [];
  let i = 0;
  while (i < n) {
    let j = i + 1;
    while (j < n && values[order[j]] === values[order[i]]) j++;
    const avg = (i + 1 + j) / 2; // mean of ranks i+1 … j
    for (let k = i; k < j; k++) ranks[order[k]] = avg;
    if (j - i > 1) ties.push(j - i);
    i = j;
  }
  return { ranks, ties };
}

/** Sizes of groups of equal values (groups of 1 left out). */
export function tieGroups(values: readonly number[]): number[] {
  return rankWithTies(values).ties;
}
