/**
 * Files held in memory, under a path that cannot exist on disk (a name inside an archive file, or
 * stdin's): an archive's entries and a piped stream are read without unpacking anything to disk.
 * The readers ask here before they open a path. In this thread only: such input is read with one job.
 */
const files = new Map<string, Buffer>();

export function addMemoryFile(absolute: string, bytes: Buffer): void {
  files.set(absolute, bytes);
}

export function memoryFile(absolute: string): Buffer | undefined {
  return files.get(absolute);
}

/** Whether any input is held in memory: worker threads cannot see it. */
export function holdsMemoryFiles(): boolean {
  return files.size > 0;
}
