/**
 * The window's appearance, chosen in the header: System, Light or Dark. In a browser tab only:
 * the desktop app chooses it in its View menu (which tells the window), so the header does not
 * offer it twice.
 */
import { APPEARANCES, type Appearance } from '../../../src-shared/desktop';
import { useStore } from '../../store';

const LABELS: Record<Appearance, string> = { system: 'System', light: 'Light', dark: 'Dark' };

export function AppearanceSelect(): React.JSX.Element | null {
  const appearance = useStore((s) => s.appearance);
  const set = useStore((s) => s.setAppearance);
  const desktop = useStore((s) => s.client.kind === 'ipc');
  if (desktop) return null;
  return (
    <select
      aria-label="appearance"
      title="Appearance: as the system, light or dark"
      value={appearance}
      onChange={(e) => set(APPEARANCES.find((a) => a === e.target.value) ?? 'system')}
    >
      {APPEARANCES.map((a) => (
        <option key={a} value={a}>
          {LABELS[a]}
        </option>
      ))}
    </select>
  );
}
