// socket.io-client 2.x ships no types; we use it only through env.createSocket.
declare module 'socket.io-client' {
  const io: (url: string, options?: Record<string, unknown>) => unknown;
  export default io;
}
