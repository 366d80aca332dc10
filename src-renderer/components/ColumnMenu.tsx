/**
 * A column header's menu: a popup list of actions (role menu, items menuitem) opened by the
 * header's ▾ button, a right-click or Alt+↓ on the header. Arrows move, Enter chooses, Esc
 * closes, and focus goes back to where it came from. An entry with a `form` swaps the list for
 * that form (a filter's condition and value) instead of acting at once.
 */
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { createPortal } from 'react-dom';

export interface MenuEntry {
  label: string;
  /** Chosen: the menu closes, then this runs. */
  onSelect?: () => void;
  /** Shown in place of the list when chosen; `done` closes the menu. */
  form?: (done: () => void) => React.ReactNode;
  /** Why it cannot be chosen here; the entry shows greyed with this as its tooltip. */
  disabled?: string | null;
  /** A heading drawn above this entry (a group such as "Add a step for this column"). */
  group?: string;
  testId?: string;
}

export function ColumnMenu(props: {
  entries: MenuEntry[];
  /** Where to open: the viewport point (a right-click) or below an element (the ▾ button). */
  at: { x: number; y: number };
  label: string;
  onClose: () => void;
}): React.JSX.Element {
  const { entries, onClose } = props;
  const box = useRef<HTMLDivElement>(null);
  const [active, setActive] = useState(0);
  const [form, setForm] = useState<MenuEntry | null>(null);
  const [pos, setPos] = useState(props.at);

  // Keep the whole menu on screen: flip it up or left when it would run off the window.
  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    const r = el.getBoundingClientRect();
    const x = Math.max(4, Math.min(props.at.x, window.innerWidth - r.width - 4));
    const y =
      props.at.y + r.height > window.innerHeight - 4
        ? Math.max(4, window.innerHeight - r.height - 4)
        : props.at.y;
    setPos({ x, y });
  }, [props.at, form]);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    // Focus stays inside: on the active entry, or the form's first field once it replaces them.
    if (!form) el.querySelectorAll<HTMLElement>('[role=menuitem]')[active]?.focus();
    else if (!el.contains(document.activeElement))
      el.querySelector<HTMLElement>('input, select, textarea, button')?.focus();
  }, [active, form]);

  // A click anywhere else closes the menu.
  useEffect(() => {
    const away = (e: MouseEvent): void => {
      if (!box.current?.contains(e.target as Node)) onClose();
    };
    document.addEventListener('mousedown', away, true);
    return () => document.removeEventListener('mousedown', away, true);
  }, [onClose]);

  const choose = (e: MenuEntry): void => {
    if (e.disabled) return;
    if (e.form) setForm(e);
    else {
      onClose();
      e.onSelect?.();
    }
  };

  const onKey = (ev: React.KeyboardEvent): void => {
    if (ev.key === 'Escape') {
      ev.preventDefault();
      ev.stopPropagation();
      onClose();
      return;
    }
    if (form) return;
    const n = entries.length;
    const moves: Record<string, number> = { ArrowDown: 1, ArrowUp: -1 };
    if (ev.key in moves) setActive((a) => (a + moves[ev.key] + n) % n);
    else if (ev.key === 'Home') setActive(0);
    else if (ev.key === 'End') setActive(n - 1);
    else if (ev.key === 'Enter' || ev.key === ' ') choose(entries[active]);
    else if (ev.key === 'Tab') onClose();
    else return;
    ev.preventDefault();
    ev.stopPropagation();
  };

  return createPortal(
    <div
      ref={box}
      className="col-menu"
      role={form ? 'dialog' : 'menu'}
      aria-label={props.label}
      style={{ left: pos.x, top: pos.y }}
      onKeyDown={onKey}
      onContextMenu={(e) => e.preventDefault()}
      data-testid="column-menu"
    >
      {form
        ? form.form!(onClose)
        : entries.map((e, i) => (
            <div key={`${e.group ?? ''}${e.label}`} role="none">
              {e.group ? (
                <div className="col-menu-group" role="presentation">
                  {e.group}
                </div>
              ) : null}
              <div
                role="menuitem"
                tabIndex={i === active ? 0 : -1}
                aria-disabled={e.disabled ? true : undefined}
                title={e.disabled ?? undefined}
                className="col-menu-item"
                data-testid={e.testId}
                onMouseEnter={() => setActive(i)}
                onClick={() => choose(e)}
              >
                {e.label}
                {e.form ? '…' : ''}
              </div>
            </div>
          ))}
    </div>,
    document.body,
  );
}
