import { HelpText } from './help';

/** A subcommand: its help is available without running (or loading) anything heavy. */
export interface Command {
  readonly help: HelpText;
  /** Runs with the arguments after the command name; resolves to the exit code. */
  run(argv: readonly string[]): Promise<number>;
}
