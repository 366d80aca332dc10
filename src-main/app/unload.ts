/**
 * Unsaved recipe edits when the window closes or the app quits. The renderer's beforeunload
 * handler asks to stay while the title shows its unsaved marker; Electron then emits
 * will-prevent-unload, and without an answer from here the window would just refuse to close.
 * The user chooses: Leave (the close or quit goes on) or Stay (it is cancelled).
 */
import { dialog, type BrowserWindow } from 'electron';

export const LEAVE = 'Leave';
export const STAY = 'Stay';

/** Asks before the window's page is unloaded with unsaved edits; only Leave lets it go. */
export function confirmUnload(win: BrowserWindow): void {
  win.webContents.on('will-prevent-unload', (e) => {
    // Synchronous: Electron decides when the handler returns.
    const choice = dialog.showMessageBoxSync(win, {
      type: 'question',
      buttons: [LEAVE, STAY],
      defaultId: 1,
      cancelId: 1,
      title: 'Unsaved recipe edits',
      message: 'A recipe has edits that are not saved.',
      detail:
        'Leave: the window closes without writing them to the recipe file (the editor keeps them as a draft for the next time). Stay: go back and save them (Ctrl+S).',
    });
    // preventDefault overrides the page's request to stay.
    if (choice === 0) e.preventDefault();
  });
}
