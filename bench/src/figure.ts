/** One measured line of the table. */
export interface Measurement {
  readonly figure: string;
  readonly what: string;
  /** Mailroom's value and the baseline's, in `unit`. */
  readonly mailroom: number;
  readonly baseline?: number;
  readonly unit: string;
  /** The figure compared with its target: a ratio, or the value itself for absolute targets. */
  readonly ratio?: number;
  readonly target: string;
  readonly met: boolean;
  readonly notes?: string;
}

/** What a figure's process gets: the database to make its own schema in, and the size of the run. */
export interface FigureContext {
  readonly databaseUrl: string;
  readonly quick: boolean;
}

export type Figure = (ctx: FigureContext) => Promise<Measurement[]>;
