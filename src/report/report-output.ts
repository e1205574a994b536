// A report rendered as text: what goes to stdout, and the lines jeprof prints on stderr with it.
export interface ReportOutput {
  stdout: string;
  /** Lines jeprof prints on stderr for this report. */
  stderr: string[];
}
