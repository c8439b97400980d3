// The globals wtr's mocha provides (kept here instead of adding @types/mocha).
type Done = (error?: unknown) => void;
/** Mocha's `this` inside a test (only what the tests use). */
interface TestContext {
  timeout(ms: number): void;
}
type TestFn = (this: TestContext) => void | Promise<unknown>;
declare function describe(name: string, fn: () => void): void;
declare function it(name: string, fn: TestFn): void;
declare function before(fn: TestFn): void;
declare function after(fn: TestFn): void;
declare function beforeEach(fn: TestFn): void;
declare function afterEach(fn: TestFn): void;
