/**
 * @moonpool/transport: moonpool's wire format, peers, endpoint map, RPC with four delivery
 * modes and a failure monitor, over any `Providers` (real TCP or the simulated network).
 */

export { BinaryCodec } from "./codec/BinaryCodec.ts";
export { CodecError, type MessageCodec } from "./codec/Codec.ts";
export { JsonCodec } from "./codec/JsonCodec.ts";
export { type FrameHandler, Peer, type PeerOptions } from "./peer/Peer.ts";
export {
  DEFAULT_MONITOR_CONFIG,
  DEFAULT_PEER_CONFIG,
  type MonitorConfig,
  type PeerConfig,
  resolvePeerConfig,
} from "./peer/PeerConfig.ts";
export { PeerError } from "./peer/PeerError.ts";
export type { PeerMetrics } from "./peer/PeerMetrics.ts";
export { type PingAction, PingTracker } from "./peer/PingTracker.ts";
export { EndpointMap, type MessageReceiver } from "./rpc/EndpointMap.ts";
export {
  addressFromValue,
  envelopeFromValue,
  envelopeValue,
  type RequestEnvelope,
  replyFromValue,
  replyValue,
  uidFromValue,
} from "./rpc/envelope.ts";
export {
  isMaybeDelivered,
  MessagingError,
  type MessagingErrorKind,
  ReplyError,
  type ReplyErrorKind,
  RpcError,
  type WireReplyError,
} from "./rpc/errors.ts";
export { type AddressStatus, FailureMonitor, isWellKnownFamily } from "./rpc/FailureMonitor.ts";
export {
  NetTransport,
  type RetiredPeers,
  type TransportOptions,
  type TransportStats,
  type TransportTrace,
} from "./rpc/NetTransport.ts";
export { ReplyFuture } from "./rpc/ReplyFuture.ts";
export { ReplyPromise } from "./rpc/ReplyPromise.ts";
export {
  type IncomingRequest,
  type RequestDecoder,
  RequestStream,
  type RequestStreamStats,
} from "./rpc/RequestStream.ts";
export {
  type CallOptions,
  type ResponseDecoder,
  ServiceEndpoint,
  sendRequest,
} from "./rpc/ServiceEndpoint.ts";
export {
  defineService,
  type InterfaceBlob,
  type MethodOptions,
  type MethodSpec,
  method,
  type RequestOf,
  type ResponseOf,
  ServerHandle,
  type ServiceClient,
  type ServiceDefinition,
  type ServiceHandler,
  type ServiceServer,
  type ServiceSpec,
  type WireEncoder,
} from "./rpc/service.ts";
export { isStandardSchema, type StandardSchemaV1, schemaDecoder } from "./rpc/standardSchema.ts";
export type { TransportCore } from "./rpc/TransportCore.ts";
export * from "./wire/index.ts";
