/** The recipe as YAML text, kept in sync with the list and the form, with its problems. */
import { useStore } from '../../store';

export function YamlView(): React.JSX.Element {
  const ed = useStore((s) => s.editor)!;
  const setYaml = useStore((s) => s.setYaml);
  return (
    <section className="card">
      <h3>Recipe (YAML)</h3>
      <textarea
        className="yaml"
        aria-label="recipe yaml"
        spellCheck={false}
        value={ed.yaml}
        onChange={(e) => setYaml(e.target.value, { typing: true })}
      />
      {ed.issues.length ? (
        <ul className="issues" data-testid="recipe-issues">
          {ed.issues.map((i, n) => (
            <li key={n}>
              {i.line ? `line ${i.line}: ` : ''}
              {i.path.length ? `${i.path.join('.')}: ` : ''}
              {i.message}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
