// Namespace changes (create, delete, rename) not yet durable, with POSIX directory semantics: a
// change is durable once every directory it touches has been synced (`syncDir`) after it.
import type { FileImage } from "./FileImage.ts";

/** A file's identity and content, shared by every handle and namespace entry that names it. */
export interface FileNode {
  readonly id: number;
  readonly image: FileImage;
}

/** One namespace change and the directories whose sync it still waits for. */
export type MetadataOp = (
  | { readonly kind: "create"; readonly path: string; readonly node: FileNode }
  | { readonly kind: "delete"; readonly path: string }
  | { readonly kind: "rename"; readonly from: string; readonly to: string }
) & { readonly awaiting: Set<string> };

/** The directory that holds `path` ("" for the root). */
export function parentDir(path: string): string {
  const slash = path.lastIndexOf("/");
  return slash < 0 ? "" : path.slice(0, slash);
}

/** The directories a change must sync to become durable (both ends of a rename). */
export function directoriesOf(op: MetadataOp): string[] {
  return op.kind === "rename" ? [parentDir(op.from), parentDir(op.to)] : [parentDir(op.path)];
}

/** Applies `op` to `namespace` (a rename whose source is gone does nothing). */
export function applyMetadata(namespace: Map<string, FileNode>, op: MetadataOp): void {
  if (op.kind === "create") namespace.set(op.path, op.node);
  else if (op.kind === "delete") namespace.delete(op.path);
  else {
    const node = namespace.get(op.from);
    if (node !== undefined) {
      namespace.delete(op.from);
      namespace.set(op.to, node);
    }
  }
}

/** True when some entry of `namespace` or some pending change lies directly or deeper in `dir`. */
export function directoryKnown(
  dir: string,
  namespace: ReadonlyMap<string, FileNode>,
  pending: readonly MetadataOp[],
): boolean {
  if (dir === "") return true;
  const prefix = `${dir}/`;
  for (const path of namespace.keys()) if (path.startsWith(prefix)) return true;
  for (const op of pending) {
    for (const d of directoriesOf(op)) if (d === dir || d.startsWith(prefix)) return true;
  }
  return false;
}
