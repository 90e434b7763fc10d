/**
 * The part of the `diff` package (v7, no bundled types) the schema diff uses. Delete this file
 * if `@types/diff` is ever installed.
 */
declare module 'diff' {
  export interface PatchOptions {
    /** Lines of context around each change (default 4). */
    context?: number;
  }
  export function createTwoFilesPatch(
    oldFileName: string,
    newFileName: string,
    oldStr: string,
    newStr: string,
    oldHeader?: string,
    newHeader?: string,
    options?: PatchOptions,
  ): string;
}
