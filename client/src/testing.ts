// Internals exported for the Node unit tests (not part of any served bundle).
export { Emitter } from './events.js';
export { browserEnv, hostEnv } from './env.js';
export * as C from './constants.js';
export { Skylink } from './Skylink.js';
export { InitError } from './errors.js';
export { apiUrl, parseApiReply } from './signaling/ApiClient.js';
export { SignalingClient } from './signaling/SignalingClient.js';
export { SignalingState, SIGNALING_TRANSITIONS, canTransition } from './signaling/SignalingState.js';
export { connectionTargets } from './signaling/ReconnectPolicy.js';
export { decode, encode, buildGroup, GROUPED_TYPES } from './signaling/messages.js';
export * as dt from './data/protocol.js';
export { DataTransferManager } from './data/DataTransferManager.js';
export { computeWeight, shouldOffer, isPolite } from './peer/weight.js';
export { OperationChain } from './peer/OperationChain.js';
export { parseMediaOptions } from './media/settings.js';
export { peerStateFromMessage, toPeerInfo } from './peer/peerInfo.js';
export { deviceConstraints, fallbackOrder, deviceOf } from './media/devices.js';
