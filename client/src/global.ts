// Classic-script entry (skylink.complete.min.js / skylink.js): defines window.Skylink and
// window.attachMediaStream like SkylinkJS' "complete" build, without touching window.io.
import { Skylink } from './Skylink.js';
import { attachMediaStream, reattachMediaStream } from './media/attachMediaStream.js';

const g = globalThis as unknown as Record<string, unknown>;
g.Skylink = Skylink;
g.attachMediaStream = attachMediaStream;
if (!g.reattachMediaStream) g.reattachMediaStream = reattachMediaStream;
