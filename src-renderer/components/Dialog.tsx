/**
 * The window's one dialog shell, on the native <dialog> opened with showModal(): the browser
 * gives the backdrop, the top layer and an inert page behind. What it does not give is kept
 * here: Tab wraps inside the dialog (a modal dialog otherwise lets focus leave for the
 * browser's own controls), Escape and a click on the backdrop close it through the caller's
 * state, and focus goes back to whatever opened it.
 *
 * Callers render it only while open, as they did their own boxes:
 *   {open ? <Dialog title="Connections" onClose={close}>…</Dialog> : null}
 */
import { useId, useLayoutEffect, useRef, type ReactNode } from 'react';

const FOCUSABLE =
  'a[href], button:not(:disabled), input:not(:disabled):not([type=hidden]), select:not(:disabled), textarea:not(:disabled), [tabindex]:not([tabindex="-1"])';

/** The elements Tab can reach inside `root`, in order (hidden ones left out). */
export function focusables(root: HTMLElement): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
    (e) => e.getClientRects().length > 0,
  );
}

export function Dialog(props: {
  title: ReactNode;
  onClose: () => void;
  children: ReactNode;
  /** A narrow dialog (a list or a form) rather than one that fills the window. */
  small?: boolean;
  /** A click on the backdrop closes it; off where closing would throw away work in progress. */
  backdropCloses?: boolean;
  testId?: string;
}): React.JSX.Element {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const { onClose } = props;

  useLayoutEffect(() => {
    const dialog = ref.current!;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    dialog.showModal();
    // The first field if there is one (React's autoFocus ran while the dialog was hidden),
    // else the first control, which is at worst Close.
    const content = dialog.querySelector<HTMLElement>('.content');
    const field = content?.querySelector<HTMLElement>('input, select, textarea');
    (field ?? (content && focusables(content)[0]) ?? focusables(dialog)[0])?.focus();
    return () => {
      if (dialog.open) dialog.close();
      if (opener?.isConnected) opener.focus();
    };
  }, []);

  // A dialog of text only (the shortcuts) may scroll: the keyboard must reach it to scroll it.
  useLayoutEffect(() => {
    const content = ref.current?.querySelector<HTMLElement>('.content');
    if (!content) return;
    if (focusables(content).length) content.removeAttribute('tabindex');
    else content.tabIndex = 0;
  });

  const onKeyDown = (e: React.KeyboardEvent<HTMLDialogElement>): void => {
    if (e.key === 'Escape') {
      // Ours, not the window's shortcuts' nor the browser's: the caller's state closes it.
      e.preventDefault();
      e.stopPropagation();
      onClose();
      return;
    }
    if (e.key !== 'Tab') return;
    const all = focusables(e.currentTarget);
    if (!all.length) return;
    const first = all[0]!;
    const last = all[all.length - 1]!;
    const at = document.activeElement;
    if (e.shiftKey && (at === first || !e.currentTarget.contains(at))) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && (at === last || !e.currentTarget.contains(at))) {
      e.preventDefault();
      first.focus();
    }
  };

  return (
    <dialog
      ref={ref}
      className={`dialog${props.small ? ' small' : ''}`}
      aria-modal="true"
      aria-labelledby={titleId}
      data-testid={props.testId}
      onKeyDown={onKeyDown}
      // A close request that is not a key (the platform's own) still goes through the caller.
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
      onClick={(e) => {
        // The backdrop is the dialog element itself, outside its box.
        if (props.backdropCloses === false || e.target !== e.currentTarget) return;
        const r = e.currentTarget.getBoundingClientRect();
        const inside =
          e.clientX >= r.left &&
          e.clientX <= r.right &&
          e.clientY >= r.top &&
          e.clientY <= r.bottom;
        if (!inside) onClose();
      }}
    >
      <header>
        <h2 id={titleId}>{props.title}</h2>
        <span className="spacer" />
        <button onClick={onClose}>Close</button>
      </header>
      <div className="content">{props.children}</div>
    </dialog>
  );
}
