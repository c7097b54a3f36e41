// Public constant objects, with the names and values SkylinkJS 0.6 exposes on its prototype, so that
// pages comparing against `skylink.READY_STATE_CHANGE.COMPLETED` etc. keep working.

export const VERSION = '0.6.37';
/** Signaling-message protocol version we speak (section 5 of the protocol spec). */
export const SM_PROTOCOL_VERSION = '0.1.2.4';
/** Data-transfer protocol version (section 6): 0.1.3 = binary chunks and per-transfer channels. */
export const DT_PROTOCOL_VERSION = '0.1.3';

export const READY_STATE_CHANGE = { INIT: 0, LOADING: 1, COMPLETED: 2, ERROR: -1 } as const;

export const READY_STATE_CHANGE_ERROR = {
  API_INVALID: 4001,
  API_DOMAIN_NOT_MATCH: 4002,
  API_CORS_DOMAIN_NOT_MATCH: 4003,
  API_CREDENTIALS_INVALID: 4004,
  API_CREDENTIALS_NOT_MATCH: 4005,
  API_INVALID_PARENT_KEY: 4006,
  API_NO_MEETING_RECORD_FOUND: 4010,
  API_OVER_SEAT_LIMIT: 4020,
  API_RETRIEVAL_FAILED: 4021,
  API_WRONG_ACCESS_DOMAIN: 5005,
  XML_HTTP_REQUEST_ERROR: -1,
  XML_HTTP_NO_REPONSE_ERROR: -2,
  NO_SOCKET_IO: 1,
  NO_XMLHTTPREQUEST_SUPPORT: 2,
  NO_WEBRTC_SUPPORT: 3,
  NO_PATH: 4,
  ADAPTER_NO_LOADED: 7,
  PARSE_CODECS: 8,
} as const;

export const PEER_CONNECTION_STATE = {
  STABLE: 'stable',
  HAVE_LOCAL_OFFER: 'have-local-offer',
  HAVE_REMOTE_OFFER: 'have-remote-offer',
  CLOSED: 'closed',
} as const;

export const ICE_CONNECTION_STATE = {
  STARTING: 'starting',
  CHECKING: 'checking',
  CONNECTED: 'connected',
  COMPLETED: 'completed',
  CLOSED: 'closed',
  FAILED: 'failed',
  TRICKLE_FAILED: 'trickleFailed',
  DISCONNECTED: 'disconnected',
} as const;

export const CANDIDATE_GENERATION_STATE = { NEW: 'new', GATHERING: 'gathering', COMPLETED: 'completed' } as const;

export const HANDSHAKE_PROGRESS = {
  ENTER: 'enter',
  WELCOME: 'welcome',
  OFFER: 'offer',
  ANSWER: 'answer',
  ERROR: 'error',
} as const;

export const DATA_CHANNEL_STATE = {
  CONNECTING: 'connecting',
  OPEN: 'open',
  CLOSING: 'closing',
  CLOSED: 'closed',
  ERROR: 'error',
  CREATE_ERROR: 'createError',
  BUFFERED_AMOUNT_LOW: 'bufferedAmountLow',
  SEND_MESSAGE_ERROR: 'sendMessageError',
} as const;

export const DATA_CHANNEL_TYPE = { MESSAGING: 'messaging', DATA: 'data' } as const;
export const DATA_CHANNEL_MESSAGE_ERROR = { MESSAGE: 'message', TRANSFER: 'transfer' } as const;

export const DATA_TRANSFER_DATA_TYPE = {
  BINARY_STRING: 'binaryString',
  ARRAY_BUFFER: 'arrayBuffer',
  BLOB: 'blob',
  STRING: 'string',
} as const;

export const DATA_TRANSFER_TYPE = { UPLOAD: 'upload', DOWNLOAD: 'download' } as const;
export const DATA_TRANSFER_SESSION_TYPE = { BLOB: 'blob', DATA_URL: 'dataURL' } as const;

export const DATA_TRANSFER_STATE = {
  UPLOAD_REQUEST: 'request',
  UPLOAD_STARTED: 'uploadStarted',
  DOWNLOAD_STARTED: 'downloadStarted',
  REJECTED: 'rejected',
  CANCEL: 'cancel',
  ERROR: 'error',
  UPLOADING: 'uploading',
  DOWNLOADING: 'downloading',
  UPLOAD_COMPLETED: 'uploadCompleted',
  DOWNLOAD_COMPLETED: 'downloadCompleted',
  USER_REJECTED: 'userRejected',
  USER_UPLOAD_REQUEST: 'userRequest',
  START_ERROR: 'startError',
} as const;

export const SYSTEM_ACTION = { WARNING: 'warning', REJECT: 'reject' } as const;

export const SYSTEM_ACTION_REASON = {
  CREDENTIALS_EXPIRED: 'oldTimeStamp',
  CREDENTIALS_ERROR: 'credentialError',
  DUPLICATED_LOGIN: 'duplicatedLogin',
  ROOM_NOT_STARTED: 'notStart',
  EXPIRED: 'expired',
  ROOM_LOCKED: 'locked',
  FAST_MESSAGE: 'fastmsg',
  ROOM_CLOSING: 'toclose',
  ROOM_CLOSED: 'roomclose',
  SERVER_ERROR: 'serverError',
  KEY_ERROR: 'keyFailed',
} as const;

export const PRIORITY_WEIGHT_SCHEME = {
  ENFORCE_OFFERER: 'enforceOfferer',
  ENFORCE_ANSWERER: 'enforceAnswerer',
  AUTO: 'auto',
} as const;

export const LOG_LEVEL = { DEBUG: 4, LOG: 3, INFO: 2, WARN: 1, ERROR: 0, NONE: -1 } as const;

export const SOCKET_ERROR = {
  CONNECTION_FAILED: 0,
  RECONNECTION_FAILED: -1,
  CONNECTION_ABORTED: -2,
  RECONNECTION_ABORTED: -3,
  RECONNECTION_ATTEMPT: -4,
} as const;

export const SOCKET_FALLBACK = {
  NON_FALLBACK: 'nonfallback',
  FALLBACK_PORT: 'fallbackPortNonSSL',
  FALLBACK_SSL_PORT: 'fallbackPortSSL',
  LONG_POLLING: 'fallbackLongPollingNonSSL',
  LONG_POLLING_SSL: 'fallbackLongPollingSSL',
} as const;

export const MEDIA_ACCESS_FALLBACK_STATE = { FALLBACKING: 0, FALLBACKED: 1, ERROR: -1 } as const;

export const MEDIA_SOURCE = {
  SCREEN: 'screen',
  WINDOW: 'window',
  TAB: 'tab',
  TAB_AUDIO: 'audio',
  APPLICATION: 'application',
  BROWSER: 'browser',
  CAMERA: 'camera',
} as const;

export const VIDEO_RESOLUTION = {
  QQVGA: { width: 160, height: 120 },
  HQVGA: { width: 240, height: 160 },
  QVGA: { width: 320, height: 240 },
  WQVGA: { width: 384, height: 240 },
  HVGA: { width: 480, height: 320 },
  VGA: { width: 640, height: 480 },
  WVGA: { width: 768, height: 480 },
  FWVGA: { width: 854, height: 480 },
  SVGA: { width: 800, height: 600 },
  DVGA: { width: 960, height: 640 },
  WSVGA: { width: 1024, height: 576 },
  HD: { width: 1280, height: 720 },
  HDPLUS: { width: 1600, height: 900 },
  FHD: { width: 1920, height: 1080 },
  QHD: { width: 2560, height: 1440 },
  WQXGAPLUS: { width: 3200, height: 1800 },
  UHD: { width: 3840, height: 2160 },
  UHDPLUS: { width: 5120, height: 2880 },
  FUHD: { width: 7680, height: 4320 },
  QUHD: { width: 15360, height: 8640 },
} as const;

export const VIDEO_CODEC = { AUTO: 'auto', VP8: 'VP8', H264: 'H264', VP9: 'VP9' } as const;
export const AUDIO_CODEC = {
  AUTO: 'auto', ISAC: 'ISAC', OPUS: 'opus', ILBC: 'ILBC', G722: 'G722', PCMU: 'PCMU', PCMA: 'PCMA',
} as const;

export const BUNDLE_POLICY = { MAX_COMPAT: 'max-compat', BALANCED: 'balanced', MAX_BUNDLE: 'max-bundle', NONE: 'none' } as const;
export const RTCP_MUX_POLICY = { REQUIRE: 'require', NEGOTIATE: 'negotiate' } as const;
export const PEER_CERTIFICATE = { RSA: 'RSA', ECDSA: 'ECDSA', AUTO: 'AUTO' } as const;
export const SERVER_PEER_TYPE = { MCU: 'mcu' } as const;
export const GET_PEERS_STATE = { ENQUIRED: 'enquired', RECEIVED: 'received' } as const;
export const INTRODUCE_STATE = { INTRODUCING: 'introducing', ERROR: 'error' } as const;
export const TURN_TRANSPORT = { UDP: 'udp', TCP: 'tcp', ANY: 'any', NONE: 'none', ALL: 'all' } as const;
export const RECORDING_STATE = { START: 0, STOP: 1, LINK: 2, ERROR: -1 } as const;
export const GET_CONNECTION_STATUS_STATE = { RETRIEVING: 0, RETRIEVE_SUCCESS: 1, RETRIEVE_ERROR: -1 } as const;

/** All constants, copied onto the Skylink prototype. */
export const CONSTANTS = {
  VERSION, SM_PROTOCOL_VERSION, DT_PROTOCOL_VERSION, READY_STATE_CHANGE, READY_STATE_CHANGE_ERROR,
  PEER_CONNECTION_STATE, ICE_CONNECTION_STATE, CANDIDATE_GENERATION_STATE, HANDSHAKE_PROGRESS,
  DATA_CHANNEL_STATE, DATA_CHANNEL_TYPE, DATA_CHANNEL_MESSAGE_ERROR, DATA_TRANSFER_DATA_TYPE,
  DATA_TRANSFER_TYPE, DATA_TRANSFER_SESSION_TYPE, DATA_TRANSFER_STATE, SYSTEM_ACTION, SYSTEM_ACTION_REASON,
  PRIORITY_WEIGHT_SCHEME, LOG_LEVEL, SOCKET_ERROR, SOCKET_FALLBACK, MEDIA_ACCESS_FALLBACK_STATE, MEDIA_SOURCE,
  VIDEO_RESOLUTION, VIDEO_CODEC, AUDIO_CODEC, BUNDLE_POLICY, RTCP_MUX_POLICY, PEER_CERTIFICATE,
  SERVER_PEER_TYPE, GET_PEERS_STATE, INTRODUCE_STATE, TURN_TRANSPORT, RECORDING_STATE, GET_CONNECTION_STATUS_STATE,
} as const;
