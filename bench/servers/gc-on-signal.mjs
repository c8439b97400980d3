// Preloaded into every server under test (Parley, bare ws, Socket.IO alike; bench/lib/targets.ts):
// SIGUSR2 runs a full garbage collection, so the idle-memory scenario reads each server's RSS
// after a collection rather than with whatever garbage its connect burst left behind.
// Needs --expose-gc. SIGUSR2 is otherwise unused by Node (SIGUSR1 starts the inspector).
process.on('SIGUSR2', () => {
  globalThis.gc?.();
});
