/**
 * The CLI's exit codes and the errors that carry them. A user mistake is one of these and is
 * printed as a message; anything else is a bug and keeps its stack trace.
 */
export enum ExitCode {
  OK = 0,
  /** The configuration (or, for check, a deployment) has errors. */
  PROBLEMS = 1,
  /** Bad flags, or input that cannot be read or parsed at all. */
  UNUSABLE = 2,
  /** The output could not be written (a full disk, a closed pipe): sysexits' EX_IOERR. */
  OUTPUT = 74,
}

/** A bad command line: unknown flag, missing value, wrong number of arguments. */
export class UsageError extends Error {
  public readonly exitCode = ExitCode.UNUSABLE;
  public constructor(public readonly messages: readonly string[]) {
    super(messages.join('\n'));
    this.name = 'UsageError';
  }
}

/** Input that cannot be used: an unreadable file, invalid YAML, a document of the wrong shape. */
export class InputError extends Error {
  public readonly exitCode = ExitCode.UNUSABLE;
  public constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

export function usage(...messages: string[]): UsageError {
  return new UsageError(messages);
}

export function isUserError(error: unknown): error is UsageError | InputError {
  return error instanceof UsageError || error instanceof InputError;
}

/** The operating system's answer, in words. */
export function reasonOf(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EISDIR':
      return 'it is a directory, not a file';
    case 'ENOTDIR':
      return 'part of the path is a file, not a directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'the file system is read-only';
    case 'ENOSPC':
      return 'no space left on the device';
    case 'EPIPE':
      return 'the program reading it has closed the pipe';
    case 'EEXIST':
      return 'a file or link of that name is in the way';
    default:
      return code ?? String(error);
  }
}
