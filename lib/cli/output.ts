import { stringify } from 'yaml';
import { formatProblem, Problem, Severity } from '../model/problem';

/** A problem with where the offending value came from: a values file, --set, a flag. */
export interface LocatedProblem extends Problem {
  readonly origin?: string;
}

export function formatLocated(problem: LocatedProblem): string {
  return `${problem.severity} [${problem.rule}] ${problem.origin ? `${problem.origin}: ` : ''}${formatProblem(problem)}`;
}

export function hasErrors(problems: readonly Problem[]): boolean {
  return problems.some((p) => p.severity === Severity.ERROR);
}

export function writeOut(text: string): void {
  process.stdout.write(text);
}

/** One line per message, each prefixed with the command, on stderr. */
export function writeErr(prefix: string, lines: readonly string[]): void {
  for (const line of lines) process.stderr.write(`${prefix}: ${line}\n`);
}

/** Errors first, then warnings, each on its own line. */
/**
 * Errors refuse the config, and then only they are printed, as the library and the chart do:
 * warnings are about output that is not written. Without errors, the warnings.
 */
export function reportProblems(prefix: string, problems: readonly LocatedProblem[]): void {
  const errors = problems.filter((p) => p.severity === Severity.ERROR);
  writeErr(prefix, (errors.length > 0 ? errors : problems).map(formatLocated));
}

/**
 * A YAML stream of Kubernetes objects, written exactly as cdk8s writes its files (YAML 1.1,
 * no line folding), so that `synth` on stdout and `synth -o DIR` give the same bytes.
 */
export function yamlStream(docs: readonly unknown[]): string {
  return docs.map((doc) => stringify(doc, { keepUndefined: true, lineWidth: 0, version: '1.1' })).join('---\n');
}
