/**
 * pipelines.check: a recipe as the editor holds it, checked as the user types: syntax and
 * schema (src-shared/recipe/recipe-text, the same words the window shows at once), then every
 * step against the columns that reach it from the real source, without reading its rows.
 */
import type { RecipeProblem } from '../../../src-shared/recipe/recipe-text';
import { checkRecipeText } from '../../../src-shared/recipe/recipe-text';
import { checkSteps } from '../../engine/check-steps';
import { sideName, StepConfigError } from '../../engine/step';
import { SourceError } from '../../io/csv-read';
import { checkRecipePaths, projectResources, RecipePathError } from '../../orchestrator/resources';
import type { Handlers, ProjectContext } from '../context';
import { inputsOf } from '../validate';

export function recipeCheckHandlers(svc: ProjectContext): Pick<Handlers, 'pipelines.check'> {
  return {
    'pipelines.check': async ({ yaml }) => {
      const text = checkRecipeText(yaml);
      const p = text.pipeline;
      if (!p) return { ok: false, problems: text.problems, not_checked: null };
      const problems: RecipeProblem[] = [];
      const at = (path: (string | number)[], message: string): void =>
        void problems.push({
          path,
          line: text.lineOf(path),
          range: text.rangeOf(path),
          message,
          kind: 'semantic',
        });
      let notChecked: string | null = null;
      try {
        const paths = svc.paths();
        checkRecipePaths(paths, svc.project.pipelines, p);
        const inputs = await inputsOf(p, projectResources(paths, svc.project.pipelines));
        if ('waiting' in inputs)
          notChecked = `the steps are checked against data once ${inputs.waiting.join(' and ')} ${inputs.waiting.length === 1 ? 'is' : 'are'} written`;
        else {
          const side = (ref: Parameters<typeof sideName>[0]) => {
            const b = inputs.sides.get(sideName(ref));
            if (!b) throw new StepConfigError(`${sideName(ref)} is not available here`);
            return b;
          };
          for (const x of checkSteps(p.steps, inputs.fields, { side }))
            at(
              x.path,
              `step ${Number(x.path[1]) + 1} (${p.steps[Number(x.path[1])].step}): ${x.message}`,
            );
        }
      } catch (e) {
        if (e instanceof RecipePathError || e instanceof SourceError)
          at(['source'], `source: ${e.message}`);
        else throw e;
      }
      return { ok: problems.length === 0, problems, not_checked: notChecked };
    },
  };
}
