// ES module entry: `import { Skylink, attachMediaStream } from './skylink.esm.js'`.
export { Skylink } from './Skylink.js';
export type { InitOptions, JoinRoomOptions } from './Skylink.js';
export { attachMediaStream, reattachMediaStream } from './media/attachMediaStream.js';
export * as constants from './constants.js';
export type { SkylinkEvents, EventName, PeerInfo, TransferInfo, MessageInfo, ReadyStateError, MediaDeviceRef } from './events.js';
export type { JoinRoomError } from './errors.js';
