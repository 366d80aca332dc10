/** An import that cannot be made as asked (a name twice, a pipeline file that exists already). */
export class ImportError extends Error {}
