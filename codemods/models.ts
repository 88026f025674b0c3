// The explicit name → model table: a migration names its model
// (MigrationMeta.model) and `check`, `run --format json` and the series
// validator find it here. Each entry loads its model only when asked: a diff
// never pays for a model.
import type { AnyMigration } from './engine/migration.js';
import type { MigrationModel } from './engine/model.js';

export const modelTable: Record<string, () => Promise<MigrationModel>> = {
  'iommu-sva': () => import('../iommu-model/sva-model.js').then((m) => m.svaModel),
  'platform-bus': () => import('../iommu-model/platform-bus/index.js').then((m) => m.platformBusModel),
  'i2c-core': () => import('../iommu-model/i2c-core/index.js').then((m) => m.i2cCoreModel),
};

/** The model called `name`, loaded; undefined when no model has that name. */
export async function getModel(name: string): Promise<MigrationModel | undefined> {
  const load = Object.hasOwn(modelTable, name) ? modelTable[name] : undefined;
  return load ? load() : undefined;
}

/**
 * The model a migration names, loaded; undefined when it names none. A name
 * the table does not have is a bug in the bundled migration (an internal
 * error, not bad input).
 */
export async function migrationModel(migration: AnyMigration): Promise<MigrationModel | undefined> {
  const name = migration.meta.model;
  if (name === undefined) return undefined;
  const model = await getModel(name);
  if (!model) throw new Error(`${migration.meta.id} names the model '${name}', which is not in the model table (codemods/models.ts)`);
  return model;
}
