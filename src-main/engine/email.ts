/**
 * What an email address looks like, to inference (infer.ts) and the validate step alike: apart
 * from the step, so that profiling loads none of the steps' code.
 */
export const EMAIL_PATTERN = /^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$/;
