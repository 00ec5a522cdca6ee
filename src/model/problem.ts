/** A problem found in the input: reported on stderr and in the report's warnings, never fatal. */
export interface InputProblem {
  file: string;
  line?: number;
  message: string;
  /** This problem stands for `count` more of its kind after it, not listed one by one (ProblemLimiter). */
  more?: { count: number };
}
