/**
 * What the desktop shell (menus, dock, command line) tells the window. Commands travel on the
 * bridge's one event channel beside the API's events, as `{ type: 'app.command', ... }`, so the
 * preload keeps exactly one subscribe. A browser tab never receives them; its keyboard
 * shortcuts call the same actions.
 */
import { z } from 'zod';

/** The window's views, in menu order. */
export const VIEWS = ['pipelines', 'editor', 'graph', 'runs', 'outputs'] as const;

/** How the window looks: follow the OS, or force light or dark. */
export const APPEARANCES = ['system', 'light', 'dark'] as const;
export type Appearance = (typeof APPEARANCES)[number];

export const AppCommand = z.discriminatedUnion('command', [
  /** Show one of the views. */
  z.strictObject({
    type: z.literal('app.command'),
    command: z.literal('view'),
    view: z.enum(VIEWS),
  }),
  /** Undo or redo in the recipe editor (text fields keep their own undo). */
  z.strictObject({ type: z.literal('app.command'), command: z.literal('undo') }),
  z.strictObject({ type: z.literal('app.command'), command: z.literal('redo') }),
  /** Start a run of every pipeline, or of the one selected in the window. */
  z.strictObject({ type: z.literal('app.command'), command: z.literal('run-all') }),
  z.strictObject({ type: z.literal('app.command'), command: z.literal('run-selected') }),
  /** Cancel the run the window is following. */
  z.strictObject({ type: z.literal('app.command'), command: z.literal('cancel-run') }),
  /** Start the import of a CSV file chosen in a dialog, given on the command line or dropped on the icon. */
  z.strictObject({
    type: z.literal('app.command'),
    command: z.literal('import'),
    path: z.string().min(1),
  }),
  /** Begin a new project (the window asks for its folder and name). */
  z.strictObject({ type: z.literal('app.command'), command: z.literal('new-project') }),
  /** The appearance chosen in the View menu, so the window can show it as chosen. */
  z.strictObject({
    type: z.literal('app.command'),
    command: z.literal('appearance'),
    appearance: z.enum(APPEARANCES),
  }),
  /** Open the Connections dialog. */
  z.strictObject({ type: z.literal('app.command'), command: z.literal('connections') }),
]);
export type AppCommand = z.infer<typeof AppCommand>;

/** A command as it arrives on the event channel, checked: null for anything else. */
export function appCommandOf(data: unknown): AppCommand | null {
  const r = AppCommand.safeParse(data);
  return r.success ? r.data : null;
}
