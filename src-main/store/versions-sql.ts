/** The saved versions of recipes, in the run store's recipe_versions table (migration 7). */
import { createHash } from 'node:crypto';
import type { SqliteDatabase } from '../sqlite/open';
import type { RecipeVersion } from './store';

export function addVersion(
  db: SqliteDatabase,
  projectDir: string,
  pipeline: string,
  text: string,
  savedAt: string,
): RecipeVersion {
  const hash = createHash('sha256').update(text).digest('hex');
  return db.transaction(() => {
    const [latest] = listVersions(db, projectDir, pipeline, 1);
    // Saving what is saved already makes no new version: the list shows changes, not clicks.
    if (latest?.hash === hash) return latest;
    db.prepare(
      `INSERT INTO recipe_versions (project_dir, pipeline, hash, text, saved_at) VALUES (?, ?, ?, ?, ?)`,
    ).run(projectDir, pipeline, hash, text, savedAt);
    return { hash, text, savedAt };
  })();
}

export function listVersions(
  db: SqliteDatabase,
  projectDir: string,
  pipeline: string,
  limit = 1000,
): RecipeVersion[] {
  const rows = db
    .prepare(
      `SELECT hash, text, saved_at FROM recipe_versions WHERE project_dir = ? AND pipeline = ?
       ORDER BY id DESC LIMIT ?`,
    )
    .all(projectDir, pipeline, limit) as { hash: string; text: string; saved_at: string }[];
  return rows.map((r) => ({ hash: r.hash, text: r.text, savedAt: r.saved_at }));
}
