/**
 * A column header's menu: the window's Menu (components/Menu.tsx) with a column's entries,
 * opened by the header's ▾ button, a right-click or Alt+↓ on the header.
 */
import { Menu, type MenuEntry } from './Menu';

export type { MenuEntry };

export function ColumnMenu(props: {
  entries: MenuEntry[];
  /** Where to open: the viewport point (a right-click) or below an element (the ▾ button). */
  at: { x: number; y: number };
  label: string;
  onClose: () => void;
}): React.JSX.Element {
  return (
    <Menu
      label={props.label}
      items={props.entries}
      at={props.at}
      onClose={props.onClose}
      testId="column-menu"
    />
  );
}
