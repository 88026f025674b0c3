// kmigrate list: the bundled codemods, TypeScript and migration files alike.
import { bundledMigrations } from '../../registry.js';
import { Exit, type CliIo } from '../io.js';

export async function listCommand(io: CliIo): Promise<number> {
  for (const m of bundledMigrations()) {
    io.stdout(`${m.meta.id}\n  ${m.meta.subject}\n  ${m.meta.summary}\n  reference: ${m.meta.reference}\n`);
  }
  return Exit.ok;
}
