/**
 * Import: files dropped anywhere on the window (or picked) are inspected; the user sees what
 * Sluice inferred with the first rows, adjusts it, and creates a pipeline per file.
 */
import { useEffect, useState } from 'react';
import { Dialog } from '../../components/Dialog';
import { useStore } from '../../store';
import { ImportCard } from './ImportCard';

/** Window-wide drop target; shows an overlay while files are dragged over. */
export function DropZone(): React.JSX.Element | null {
  const [over, setOver] = useState(false);
  const importFiles = useStore((s) => s.importFiles);
  useEffect(() => {
    let depth = 0;
    const hasFiles = (e: DragEvent): boolean => !!e.dataTransfer?.types.includes('Files');
    const enter = (e: DragEvent): void => {
      if (!hasFiles(e)) return;
      depth++;
      setOver(true);
    };
    const leave = (): void => {
      depth = Math.max(0, depth - 1);
      if (!depth) setOver(false);
    };
    const overFn = (e: DragEvent): void => {
      if (hasFiles(e)) e.preventDefault();
    };
    const drop = (e: DragEvent): void => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth = 0;
      setOver(false);
      void importFiles([...(e.dataTransfer?.files ?? [])]);
    };
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragleave', leave);
    window.addEventListener('dragover', overFn);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('dragover', overFn);
      window.removeEventListener('drop', drop);
    };
  }, [importFiles]);
  return over ? (
    <div className="overlay">
      <div className="overlay-message">Drop CSV files to import them</div>
    </div>
  ) : null;
}

export function ImportDialog(): React.JSX.Element | null {
  const imports = useStore((s) => s.imports);
  const close = useStore((s) => s.closeImports);
  if (!imports.length) return null;
  return (
    <Dialog
      title={`Import ${imports.length === 1 ? 'a file' : `${imports.length} files`}`}
      onClose={close}
      // Closing drops the files read so far: only the Close button or Escape does it.
      backdropCloses={false}
    >
      {imports.map((i) => (
        <ImportCard key={i.id} item={i} />
      ))}
    </Dialog>
  );
}
