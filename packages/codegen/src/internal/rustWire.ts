// The `wire` module every generated Rust module ends with: serde-compatible copies of moonpool's
// UID, NetworkAddress and Endpoint, the interface blob, the request envelope and the reply error,
// so the module compiles with serde alone (the moonpool crate is not needed to speak the wire).

const WIRE = String.raw`/// moonpool's wire types, serde-compatible with the moonpool crate's (and the TypeScript codecs').
pub mod wire {
    use serde::{Deserialize, Serialize};

    /// A 128-bit token: two u64 halves.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
    pub struct UID {
        pub first: u64,
        pub second: u64,
    }

    impl UID {
        pub const fn new(first: u64, second: u64) -> UID {
            UID { first, second }
        }

        /// The base of a well-known service: \`UID(u64::MAX, id)\`.
        pub const fn well_known(id: u32) -> UID {
            UID { first: u64::MAX, second: id as u64 }
        }

        /// The token of method \`i\` of the service at this base (moonpool's \`UID::adjusted\`).
        pub const fn adjusted(self, i: u32) -> UID {
            let n = i as u64;
            UID {
                first: self.first.wrapping_add(n << 32),
                second: (self.second & !0xffff_ffff) | (self.second.wrapping_add(n) & 0xffff_ffff),
            }
        }
    }

    /// An IP address, a port and flags.
    #[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
    pub struct NetworkAddress {
        pub ip: String,
        pub port: u16,
        #[serde(default)]
        pub flags: u16,
    }

    /// Where a message goes: an address and a token.
    #[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
    pub struct Endpoint {
        pub address: NetworkAddress,
        pub token: UID,
    }

    /// A service reference inside a message (interfaces are data): the server's address and base.
    #[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
    pub struct ServiceRef {
        pub address: NetworkAddress,
        pub base_token: UID,
    }

    /// A request as it travels: the request and where to send the reply.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct RequestEnvelope<T> {
        pub request: T,
        pub reply_to: Endpoint,
    }

    /// Why a request has no value (the \`Err\` of a reply \`Result<T, ReplyError>\`).
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    pub enum ReplyError {
        BrokenPromise,
        Application { message: String },
        ConnectionFailed,
        Timeout,
        Serialization { message: String },
        EndpointNotFound,
        MaybeDelivered,
        ReplyTooLarge { message: String },
    }

    /// What a handler returns on failure; the server answers \`ReplyError::Application\`.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct RpcError {
        pub message: String,
    }

    impl std::fmt::Display for RpcError {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str(&self.message)
        }
    }
}`;

/** The text of the `wire` module. */
export function emitRustWire(): string {
  return WIRE.replaceAll("\\`", "`");
}
