export interface ScratchDatabase {
  adapter: unknown;
  schema?: string;
  cleanup(): Promise<void>;
}
export function loadSchemaEngine(): Promise<unknown>;
export function committedMigrations(provider: 'sqlite' | 'postgresql', root?: string): Array<{ name: string; sql: string }>;
export function migratedScratchDatabase(provider: 'sqlite' | 'postgresql', opts?: { pgUrl?: string; root?: string; apply?: boolean }): Promise<ScratchDatabase>;
export function diffDatabaseToSchema(opts: { schemaPath: string; adapter: unknown; schemaName?: string }): Promise<{ sql: string; empty: boolean }>;
