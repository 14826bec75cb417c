import path from 'node:path';

/** Whether `file` lies inside `folder` (both absolute and already resolved): a sibling named like the folder does not count. */
export function isInsideFolder(file: string, folder: string): boolean {
  const relative = path.relative(folder, file);
  return relative !== '' && !relative.startsWith(`..${path.sep}`) && relative !== '..' && !path.isAbsolute(relative);
}
