/**
 * A menu (WAI-ARIA menu pattern) for the window's pop-up menus, such as a grid header's:
 * role menu and menuitem, the first item focused on open, Up and Down (wrapping), Home and
 * End, a letter jumps to the next item starting with it, Enter or a click acts and closes,
 * Escape or Tab or a click elsewhere closes, and focus goes back to where it was.
 *
 * Callers render it while open, at a point (a right-click) or under the button that opened
 * it: {menu ? <Menu label="Country" at={menu} items={…} onClose={() => setMenu(null)} /> : null}
 */
import { useEffect, useLayoutEffect, useRef } from 'react';

export interface MenuItem {
  label: string;
  onSelect: () => void;
  disabled?: boolean;
  /** A key or a short note shown at the item's right. */
  hint?: string;
}

export function Menu(props: {
  /** The menu's accessible name (e.g. "column Country"). */
  label: string;
  items: (MenuItem | 'separator')[];
  /** Where it opens, in the window's coordinates. */
  at: { x: number; y: number };
  onClose: () => void;
  testId?: string;
}): React.JSX.Element {
  const ref = useRef<HTMLDivElement>(null);
  const { onClose } = props;
  const items = (): HTMLElement[] => [
    ...(ref.current?.querySelectorAll<HTMLElement>('[role=menuitem]:not([aria-disabled=true])') ??
      []),
  ];

  useLayoutEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const menu = ref.current!;
    // Kept inside the window: a menu opened near an edge opens towards the middle.
    const r = menu.getBoundingClientRect();
    if (r.right > innerWidth) menu.style.left = `${Math.max(0, innerWidth - r.width - 4)}px`;
    if (r.bottom > innerHeight) menu.style.top = `${Math.max(0, innerHeight - r.height - 4)}px`;
    items()[0]?.focus();
    return () => {
      // Back to the opener, unless a click elsewhere has put the focus somewhere of its own.
      const lost =
        menu.contains(document.activeElement) || document.activeElement === document.body;
      if (lost && opener?.isConnected) opener.focus();
    };
  }, []);

  useEffect(() => {
    const away = (e: PointerEvent): void => {
      if (!ref.current?.contains(e.target as Node)) onClose();
    };
    document.addEventListener('pointerdown', away, true);
    return () => document.removeEventListener('pointerdown', away, true);
  }, [onClose]);

  const onKeyDown = (e: React.KeyboardEvent): void => {
    const all = items();
    const at = all.indexOf(document.activeElement as HTMLElement);
    const n = all.length;
    let to: number | undefined;
    if (e.key === 'ArrowDown') to = (at + 1) % n;
    else if (e.key === 'ArrowUp') to = (at - 1 + n) % n;
    else if (e.key === 'Home') to = 0;
    else if (e.key === 'End') to = n - 1;
    else if (e.key === 'Escape' || e.key === 'Tab') {
      e.preventDefault();
      e.stopPropagation();
      onClose();
      return;
    } else if (e.key.length === 1 && /\S/.test(e.key) && !e.ctrlKey && !e.metaKey && !e.altKey) {
      const k = e.key.toLowerCase();
      for (let i = 1; i <= n && to === undefined; i++) {
        const j = (at + i) % n;
        if (all[j]!.textContent?.trim().toLowerCase().startsWith(k)) to = j;
      }
    }
    if (to === undefined || !n) return;
    e.preventDefault();
    all[to]!.focus();
  };

  return (
    <div
      ref={ref}
      className="menu"
      role="menu"
      aria-label={props.label}
      data-testid={props.testId}
      style={{ position: 'fixed', left: props.at.x, top: props.at.y }}
      onKeyDown={onKeyDown}
    >
      {props.items.map((item, i) =>
        item === 'separator' ? (
          <div key={i} role="separator" />
        ) : (
          <button
            key={i}
            role="menuitem"
            tabIndex={-1}
            aria-disabled={item.disabled || undefined}
            onClick={() => {
              if (item.disabled) return;
              onClose();
              item.onSelect();
            }}
          >
            <span>{item.label}</span>
            {item.hint ? <kbd>{item.hint}</kbd> : null}
          </button>
        ),
      )}
    </div>
  );
}
