/** One operator command: `run` gets the arguments after its name and resolves with an exit code. */
export interface CliCommand {
  summary: string;
  run(args: string[]): Promise<number>;
}
