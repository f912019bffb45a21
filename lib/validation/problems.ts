import { Problem, Severity } from '../model/problem';

/** Collects problems; rules call error() and warning() and never stop at the first. */
export class Problems {
  private readonly list: Problem[] = [];

  public error(rule: string, path: string, value: unknown, message: string, fix: string): void {
    this.list.push({ rule, severity: Severity.ERROR, path, value, message, fix });
  }

  public warning(rule: string, path: string, value: unknown, message: string, fix: string): void {
    this.list.push({ rule, severity: Severity.WARNING, path, value, message, fix });
  }

  public get all(): Problem[] {
    return [...this.list];
  }
}
