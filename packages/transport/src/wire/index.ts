export { type Crc32c, crc32c, crc32cImplementation, crc32cJs } from "./crc32c.ts";
export { FrameDecoder } from "./FrameDecoder.ts";
export {
  type DecodedFrame,
  decodeFrame,
  decodeFrameStrict,
  encodeFrame,
  HEADER_SIZE,
  MAX_PAYLOAD_SIZE,
} from "./frame.ts";
export { ENDPOINT_NOT_FOUND_TOKEN, PING_TOKEN, PONG_TOKEN } from "./tokens.ts";
export { WireError, type WireErrorCode } from "./WireError.ts";
