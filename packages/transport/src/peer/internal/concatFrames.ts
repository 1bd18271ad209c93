/** Joins `frames` (`bytes` long in total) into one buffer, so a batch goes out in one write. */
export function concatFrames(frames: readonly Uint8Array[], bytes: number): Uint8Array {
  const data = new Uint8Array(bytes);
  let at = 0;
  for (const frame of frames) {
    data.set(frame, at);
    at += frame.length;
  }
  return data;
}
