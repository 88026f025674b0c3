// The explicit id → migration table.
import type { AnyMigration } from './engine/migration.js';
import { iommuSvaBindFlags } from './migrations/iommu-sva-bind-flags/index.js';

export const registry: ReadonlyMap<string, AnyMigration> = new Map([[iommuSvaBindFlags.meta.id, iommuSvaBindFlags]]);

export function getMigration(id: string): AnyMigration | undefined {
  return registry.get(id);
}
