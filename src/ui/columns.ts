/**
 * The table's columns, in the seed's order plus Last run, and what each may give up when the terminal
 * is narrow. Squeezing comes first (long texts end in `…`): tags, then the module, the zone, and the job
 * name last, each down to a width that still says something. Then whole columns are dropped, the least
 * telling first: tags, the zone, the module, the absolute due time (Due in says the same relative to
 * now), the kind, the last run, attempts, the state. Job name and Due in always stay.
 */
export type ColumnKey = "state" | "schedule" | "name" | "moduleTask" | "dueAt" | "timezone" | "dueIn" | "attempts" | "tags" | "lastRun";

export interface Column {
  readonly key: ColumnKey;
  readonly header: string;
  /** Narrowest it may be squeezed to before columns are dropped; null: never squeezed (a timestamp cut short is wrong, not short). */
  readonly min: number | null;
  /** Among the squeezable columns, 1 gives up its width first (down to its min) before the next is touched. */
  readonly squeezeOrder: number;
  /** Width kept even while the cells are narrower, so a ticking cell (`9s ago` → `10s ago`) does not shift its neighbours. */
  readonly reserve: number;
  /** When even squeezed columns do not fit: 1 is dropped first; null: never dropped. */
  readonly dropOrder: number | null;
}

export const COLUMNS: readonly Column[] = [
  { key: "state", header: "State", min: null, squeezeOrder: 0, reserve: 7, dropOrder: 8 },
  { key: "schedule", header: "Schedule", min: null, squeezeOrder: 0, reserve: 0, dropOrder: 5 },
  { key: "name", header: "Job name", min: 20, squeezeOrder: 4, reserve: 0, dropOrder: null },
  { key: "moduleTask", header: "Module and task", min: 15, squeezeOrder: 2, reserve: 0, dropOrder: 3 },
  { key: "dueAt", header: "Due at", min: null, squeezeOrder: 0, reserve: 19, dropOrder: 4 },
  { key: "timezone", header: "Timezone", min: 13, squeezeOrder: 3, reserve: 0, dropOrder: 2 },
  { key: "dueIn", header: "Due in", min: null, squeezeOrder: 0, reserve: 8, dropOrder: null },
  { key: "attempts", header: "Attempts", min: null, squeezeOrder: 0, reserve: 0, dropOrder: 7 },
  { key: "tags", header: "Tags", min: 6, squeezeOrder: 1, reserve: 0, dropOrder: 1 },
  { key: "lastRun", header: "Last run", min: null, squeezeOrder: 0, reserve: 15, dropOrder: 6 },
];

/** Spaces between two columns. */
export const COLUMN_GAP = 2;
