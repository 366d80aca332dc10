/**
 * `allow_paths` in sluice.yaml: folders outside the project that its recipes may use. Only a
 * trusted face adds to it (the command line's `sluice import`, the desktop app's import of a
 * file its user picked); the API never writes sluice.yaml.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isSeq, parseDocument } from 'yaml';
import { writeFileAtomic } from '../io/atomic-write';

/** Adds the folders not listed yet (absolute paths) to the project's allow_paths; returns them. */
export function allowFolders(projectDir: string, folders: string[]): string[] {
  const file = join(projectDir, 'sluice.yaml');
  const doc = parseDocument(readFileSync(file, 'utf8'));
  const seq = doc.get('allow_paths');
  const listed = new Set(
    isSeq(seq) ? seq.items.map((i) => String(doc.createNode(i).toJSON())) : [],
  );
  const added = [...new Set(folders)].filter((f) => !listed.has(f));
  if (!added.length) return [];
  if (isSeq(seq)) for (const f of added) seq.add(doc.createNode(f));
  else {
    const node = doc.createNode([...listed, ...added]);
    node.commentBefore = ' Folders outside the project that its recipes may read and write.';
    doc.set('allow_paths', node);
  }
  writeFileAtomic(file, doc.toString());
  return added;
}
