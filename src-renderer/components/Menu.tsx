/**
 * The window's pop-up menu (WAI-ARIA menu pattern), such as a grid header's: role menu and
 * menuitem, the first item focused on open, Up and Down (wrapping), Home and End, a letter jumps
 * to the next item starting with it, Enter or a click acts and closes, Escape or Tab or a click
 * elsewhere closes, and focus goes back to where it was. Kept whole inside the window. An item
 * with a `form` swaps the list for that form (a filter's condition and value) instead of acting.
 *
 * Callers render it while open, at a point (a right-click) or under the button that opened
 * it: {menu ? <Menu label="Country" at={menu} items={…} onClose={() => setMenu(null)} /> : null}
 */
import { Fragment, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { createPortal } from 'react-dom';

export interface MenuEntry {
  label: string;
  /** Chosen: the menu closes, then this runs. */
  onSelect?: () => void;
  /** Shown in place of the list when chosen; `done` closes the menu. */
  form?: (done: () => void) => React.ReactNode;
  /**
   * Greyed and inert: true, or why (its tooltip). An item that says why stays in reach of the
   * arrows, so the keyboard can learn why too; one that does not is passed over.
   */
  disabled?: boolean | string | null;
  /** A heading drawn above this item (a group such as "Add a step for this column"). */
  group?: string;
  /** A key or a short note shown at the item's right. */
  hint?: string;
  /** One of a group of choices (menuitemradio): whether it is the one chosen, marked ✓. */
  checked?: boolean;
  testId?: string;
}

/** Items the arrows and letters stop on. */
const REACHABLE = '[role^=menuitem]:not([data-passed-over])';

export function Menu(props: {
  /** The menu's accessible name (e.g. "column Country"). */
  label: string;
  items: (MenuEntry | 'separator')[];
  /** Where it opens, in the window's coordinates. */
  at: { x: number; y: number };
  onClose: () => void;
  testId?: string;
}): React.JSX.Element {
  const { onClose } = props;
  const ref = useRef<HTMLDivElement>(null);
  const [form, setForm] = useState<MenuEntry | null>(null);
  const [pos, setPos] = useState(props.at);
  const reachable = (): HTMLElement[] => [
    ...(ref.current?.querySelectorAll<HTMLElement>(REACHABLE) ?? []),
  ];

  useLayoutEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const menu = ref.current!;
    reachable()[0]?.focus();
    return () => {
      // Back to the opener, unless a click elsewhere has put the focus somewhere of its own.
      const lost =
        menu.contains(document.activeElement) || document.activeElement === document.body;
      if (lost && opener?.isConnected) opener.focus();
    };
  }, []);

  // Kept inside the window: a menu opened near an edge opens towards the middle, and moves
  // again when its items change its size (items that come in late would otherwise hang below
  // the window, out of reach).
  useLayoutEffect(() => {
    const el = ref.current!;
    const place = (): void => {
      const r = el.getBoundingClientRect();
      const x = Math.max(4, Math.min(props.at.x, innerWidth - r.width - 4));
      const y =
        props.at.y + r.height > innerHeight - 4
          ? Math.max(4, innerHeight - r.height - 4)
          : props.at.y;
      setPos((p) => (p.x === x && p.y === y ? p : { x, y }));
    };
    place();
    const watch = new ResizeObserver(place);
    watch.observe(el);
    return () => watch.disconnect();
  }, [props.at, form]);

  // A form in place of the list: the focus goes into it.
  useEffect(() => {
    const el = ref.current;
    if (form && el && !el.contains(document.activeElement))
      el.querySelector<HTMLElement>('input, select, textarea, button')?.focus();
  }, [form]);

  useEffect(() => {
    const away = (e: PointerEvent): void => {
      if (!ref.current?.contains(e.target as Node)) onClose();
    };
    document.addEventListener('pointerdown', away, true);
    return () => document.removeEventListener('pointerdown', away, true);
  }, [onClose]);

  const choose = (item: MenuEntry): void => {
    if (item.disabled) return;
    if (item.form) setForm(item);
    else {
      onClose();
      item.onSelect?.();
    }
  };

  const onKeyDown = (e: React.KeyboardEvent): void => {
    if (e.key === 'Escape' || (e.key === 'Tab' && !form)) {
      e.preventDefault();
      e.stopPropagation();
      onClose();
      return;
    }
    if (form) return;
    const all = reachable();
    const at = all.indexOf(document.activeElement as HTMLElement);
    const n = all.length;
    let to: number | undefined;
    if (e.key === 'ArrowDown') to = (at + 1) % n;
    else if (e.key === 'ArrowUp') to = (at - 1 + n) % n;
    else if (e.key === 'Home') to = 0;
    else if (e.key === 'End') to = n - 1;
    else if (e.key.length === 1 && /\S/.test(e.key) && !e.ctrlKey && !e.metaKey && !e.altKey) {
      const k = e.key.toLowerCase();
      for (let i = 1; i <= n && to === undefined; i++) {
        const j = (at + i) % n;
        if (all[j]!.dataset.label?.toLowerCase().startsWith(k)) to = j;
      }
    }
    // Keys the menu acts on go no further (a grid around it has keys of its own).
    if (to !== undefined || e.key === 'Enter' || e.key === ' ') e.stopPropagation();
    if (to === undefined || !n) return;
    e.preventDefault();
    all[to]!.focus();
  };

  return createPortal(
    <div
      ref={ref}
      className="menu"
      role={form ? 'dialog' : 'menu'}
      aria-label={props.label}
      data-testid={props.testId}
      style={{ position: 'fixed', left: pos.x, top: pos.y }}
      onKeyDown={onKeyDown}
      onContextMenu={(e) => e.preventDefault()}
    >
      {form
        ? form.form!(onClose)
        : props.items.map((item, i) =>
            item === 'separator' ? (
              <div key={i} role="separator" />
            ) : (
              <Fragment key={`${i}-${item.label}`}>
                {item.group ? (
                  <div className="menu-group" role="presentation">
                    {item.group}
                  </div>
                ) : null}
                <button
                  role={item.checked === undefined ? 'menuitem' : 'menuitemradio'}
                  aria-checked={item.checked}
                  tabIndex={-1}
                  aria-disabled={item.disabled ? true : undefined}
                  data-passed-over={item.disabled === true ? '' : undefined}
                  title={typeof item.disabled === 'string' ? item.disabled : undefined}
                  data-testid={item.testId}
                  // The letter keys match the label, not a choice's ✓ before it.
                  data-label={item.label}
                  onClick={() => choose(item)}
                >
                  <span>
                    {item.checked === undefined ? null : (
                      <span className="menu-check" aria-hidden="true">
                        {item.checked ? '✓' : ''}
                      </span>
                    )}
                    {item.label}
                    {item.form ? '…' : ''}
                  </span>
                  {item.hint ? <kbd>{item.hint}</kbd> : null}
                </button>
              </Fragment>
            ),
          )}
    </div>,
    document.body,
  );
}
