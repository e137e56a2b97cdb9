import type { MigrationInterface } from 'typeorm';

/** A migration as TypeORM takes it in a DataSource's `migrations`: a class it instantiates without arguments. */
export type MigrationClass = new () => MigrationInterface;
