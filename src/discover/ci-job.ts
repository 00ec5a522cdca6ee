import { open, readdir } from 'node:fs/promises';
import path from 'node:path';

/**
 * The CI's own ids of a job, read from an environment dump or a log header at the top of its
 * directory (`env > env.txt`, `printenv`, `export -p`, `declare -x`, GitHub's `KEY: value`).
 * Each variable's value must have its documented form, else it is not taken:
 * - GitHub Actions (docs.github.com/en/actions/reference/variables-reference): GITHUB_RUN_ID "a
 *   unique number for each workflow run within a repository", GITHUB_RUN_ATTEMPT a number,
 *   GITHUB_JOB "the job_id of the current job", GITHUB_REPOSITORY "owner/repo".
 * - GitLab (docs.gitlab.com/ci/variables/predefined_variables): CI_JOB_ID "the internal ID of the
 *   job, unique across all jobs in the GitLab instance", CI_PROJECT_PATH "namespace/project".
 * - Jenkins (jenkins.io/doc/book/pipeline/jenkinsfile, env-vars.html): BUILD_TAG "String of
 *   jenkins-${JOB_NAME}-${BUILD_NUMBER}", JOB_NAME.
 */
const FORMS: Record<string, RegExp> = {
  GITHUB_RUN_ID: /^[0-9]+$/,
  GITHUB_RUN_ATTEMPT: /^[0-9]+$/,
  GITHUB_JOB: /^[A-Za-z_][A-Za-z0-9_-]*$/,
  GITHUB_REPOSITORY: /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/,
  CI_JOB_ID: /^[0-9]+$/,
  CI_PROJECT_PATH: /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)+$/,
  BUILD_TAG: /^jenkins-.+-[0-9]+$/,
  JOB_NAME: /^[^\s]+$/,
};

/** `KEY=value`, `export KEY="value"`, `declare -x KEY="value"`, `KEY: value`, after an optional CI time prefix. */
const LINE = /^(?:\d{4}-\d\d-\d\dT[\d:.]+Z\s+)?\s*(?:export\s+|declare\s+-x\s+)?([A-Z_]+)(?:=|:\s+)(["']?)([^"'\s]+)\2\s*$/;
/** Bytes read from the head of each top-level file: dumps and headers come first. */
const HEAD_BYTES = 64 * 1024;

export interface CiJob {
  /** The job's label: `github:<run>[.<attempt>]/<job>`, `gitlab:<job id>`, the Jenkins BUILD_TAG. */
  label: string;
  /** The repository or project, where the CI named it. */
  repo?: string;
  /** The variables found, by name. */
  vars: Record<string, string>;
}

/**
 * The CI ids found in the top-level files of a job directory; undefined when none names the job
 * (or two files disagree on one, which then cannot be trusted).
 */
export async function ciJobOf(dir: string): Promise<CiJob | undefined> {
  const vars = new Map<string, string | null>();
  let entries: string[];
  try {
    entries = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isFile() && !/\.(gz|zip|tar|xz|bz2)$/i.test(e.name)).map((e) => e.name).sort();
  } catch {
    return undefined; // the analysis reports an unreadable directory
  }
  for (const name of entries) {
    for (const line of (await head(path.join(dir, name))).split(/\r?\n/)) {
      const match = LINE.exec(line);
      if (!match || !(match[1]! in FORMS) || !FORMS[match[1]!]!.test(match[3]!)) continue;
      const [, key, , value] = match as unknown as [string, string, string, string];
      const seen = vars.get(key);
      vars.set(key, seen === undefined || seen === value ? value : null);
    }
  }
  const found = Object.fromEntries([...vars].filter((entry): entry is [string, string] => entry[1] !== null).sort(([a], [b]) => (a < b ? -1 : 1)));
  const label = labelOf(found);
  if (label === undefined) return undefined;
  const repo = found.GITHUB_REPOSITORY ?? found.CI_PROJECT_PATH ?? found.JOB_NAME;
  return { label, ...(repo !== undefined ? { repo } : {}), vars: found };
}

function labelOf(vars: Record<string, string>): string | undefined {
  if (vars.GITHUB_RUN_ID !== undefined && vars.GITHUB_JOB !== undefined) {
    const attempt = vars.GITHUB_RUN_ATTEMPT !== undefined ? `.${vars.GITHUB_RUN_ATTEMPT}` : '';
    return `github:${vars.GITHUB_RUN_ID}${attempt}/${vars.GITHUB_JOB}`;
  }
  if (vars.CI_JOB_ID !== undefined) return `gitlab:${vars.CI_JOB_ID}`;
  return vars.BUILD_TAG;
}

async function head(file: string): Promise<string> {
  try {
    const handle = await open(file, 'r');
    try {
      const buffer = Buffer.alloc(HEAD_BYTES);
      const { bytesRead } = await handle.read(buffer, 0, HEAD_BYTES, 0);
      // The last line may be cut: it is dropped.
      const text = buffer.subarray(0, bytesRead).toString('utf8');
      return bytesRead === HEAD_BYTES ? text.slice(0, text.lastIndexOf('\n') + 1) : text;
    } finally {
      await handle.close();
    }
  } catch {
    return '';
  }
}
